import { Injectable } from '@nestjs/common';
import { AuditLogEntry, ReplayCheckpointRecord, ReplayJobRecord, ReplayJobState } from '@gyre/database';
import { DataSource, EntityManager } from 'typeorm';

/** A partition's progress as a runner reports it. */
export interface CheckpointUpdate {
  partition: number;
  lastId: string | null;
  scanned: number;
  events: number;
  bytes: number;
  done: boolean;
}

/** What a heartbeat found: the lease still held, or the job's state when it no longer is. */
export type LeaseStatus =
  { held: true } | { held: false; state: ReplayJobState | 'missing'; owner: string | null };

/**
 * Postgres I/O of replay jobs. Runner writes (heartbeat, checkpoint, finish) are fenced by the claim's
 * `lease_owner` token, so a worker that lost its lease (paused too long, presumed dead) changes nothing.
 */
@Injectable()
export class ReplayJobStore {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<ReplayJobRecord | null> {
    return manager.findOneBy(ReplayJobRecord, { id });
  }

  async lock(manager: EntityManager, id: string): Promise<ReplayJobRecord | null> {
    return manager.findOne(ReplayJobRecord, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async list(): Promise<ReplayJobRecord[]> {
    return this.dataSource.getRepository(ReplayJobRecord).find({ order: { createdAt: 'DESC' } });
  }

  async checkpoints(ids: string[]): Promise<ReplayCheckpointRecord[]> {
    if (ids.length === 0) return [];
    return this.dataSource
      .getRepository(ReplayCheckpointRecord)
      .createQueryBuilder('c')
      .where('c.job_id IN (:...ids)', { ids })
      .orderBy('c.partition', 'ASC')
      .getMany();
  }

  async audit(
    manager: EntityManager,
    actor: string,
    action: string,
    id: string,
    before: unknown,
    after: unknown,
  ) {
    await manager.save(
      Object.assign(new AuditLogEntry(), { actor, action, target: `replay/${id}`, before, after }),
    );
  }

  /**
   * Takes the oldest pending job, or a running one whose lease expired (its worker died), for `owner`.
   * SKIP LOCKED: concurrent runners never wait on each other or claim the same job.
   */
  async claim(owner: string, leaseMs: number): Promise<ReplayJobRecord | undefined> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE gyre_replay_jobs
            SET state = 'running', lease_owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond',
                claims = claims + 1, started_at = coalesce(started_at, now()), updated_at = now()
          WHERE id = (SELECT id FROM gyre_replay_jobs
                       WHERE state = 'pending' OR (state = 'running' AND lease_expires_at < now())
                       ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
        [owner, leaseMs],
      ),
    );
    if (rows.length === 0) return undefined;
    return (await this.find(String(rows[0].id))) ?? undefined;
  }

  async heartbeat(
    id: string,
    owner: string,
    leaseMs: number,
    progress: { ratePerSecond: number; etaSeconds: number | null },
  ): Promise<LeaseStatus> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE gyre_replay_jobs
            SET lease_expires_at = now() + $3 * interval '1 millisecond', rate_per_second = $4,
                eta_seconds = $5, updated_at = now()
          WHERE id = $1 AND lease_owner = $2 AND state = 'running'
        RETURNING id`,
        [id, owner, leaseMs, progress.ratePerSecond, progress.etaSeconds],
      ),
    );
    if (rows.length > 0) return { held: true };
    const job = await this.find(id);
    return { held: false, state: job?.state ?? 'missing', owner: job?.leaseOwner ?? null };
  }

  /** Records a partition's progress; false when `owner` no longer holds the job (another claim does). */
  async saveCheckpoint(id: string, owner: string, update: CheckpointUpdate): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE gyre_replay_checkpoints c
            SET last_id = $4, scanned = $5, events = $6, bytes = $7, done = $8, updated_at = now()
           FROM gyre_replay_jobs j
          WHERE c.job_id = $1 AND c.partition = $3 AND j.id = c.job_id AND j.lease_owner = $2
        RETURNING c.partition`,
        [
          id,
          owner,
          update.partition,
          update.lastId,
          update.scanned,
          update.events,
          update.bytes,
          update.done,
        ],
      ),
    );
    return rows.length > 0;
  }

  /** Ends a running job the owner still holds (completed or failed); a paused or cancelled job stays so. */
  async finish(
    id: string,
    owner: string,
    state: 'completed' | 'failed',
    error: { code: string; message: string } | null,
  ): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE gyre_replay_jobs
            SET state = $3, error = $4, finished_at = now(), updated_at = now(), lease_expires_at = NULL,
                eta_seconds = CASE WHEN $3 = 'completed' THEN 0 ELSE eta_seconds END
          WHERE id = $1 AND lease_owner = $2 AND state = 'running'
        RETURNING id`,
        [id, owner, state, error === null ? null : JSON.stringify(error)],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Gives a job back without finishing it: on shutdown (claimable at once) or after a retriable failure
   * (claimable after `retryAfterMs`, counted in `failures`).
   */
  async release(
    id: string,
    owner: string,
    retryAfterMs: number,
    error?: { code: string; message: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE gyre_replay_jobs
          SET lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now(),
              failures = failures + $4, error = coalesce($5, error)
        WHERE id = $1 AND lease_owner = $2`,
      [id, owner, retryAfterMs, error ? 1 : 0, error ? JSON.stringify(error) : null],
    );
  }
}

// TypeORM's Postgres driver answers an UPDATE ... RETURNING with [rows, count].
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as Array<Record<string, unknown>>;
  return (result ?? []) as Array<Record<string, unknown>>;
}
