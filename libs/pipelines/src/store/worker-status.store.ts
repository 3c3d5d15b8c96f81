import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A worker process as it reports itself. */
export interface WorkerIdentity {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
}

/** One stage in one worker: its runner's state and this process's counters since it started. */
export interface WorkerStageReport {
  readonly pipeline: string;
  readonly stage: string;
  readonly handler: string;
  readonly state: string;
  readonly inFlight: number;
  readonly processed: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly problem?: string;
}

export interface WorkerStageRow extends WorkerStageReport {
  readonly worker: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly lastSeen: Date;
}

/**
 * Worker heartbeats in Postgres (gyre_workers, gyre_worker_stages): each worker writes what it runs
 * after every pipeline poll, so the API can show every stage and every worker without asking them.
 */
@Injectable()
export class WorkerStatusStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Replaces this worker's stage rows with `stages`, in one transaction, and marks it seen now. */
  async report(worker: WorkerIdentity, stages: readonly WorkerStageReport[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO gyre_workers (id, host, pid, started_at, last_seen) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (id) DO UPDATE SET last_seen = now()`,
        [worker.id, worker.host, worker.pid, worker.startedAt],
      );
      await manager.query(`DELETE FROM gyre_worker_stages WHERE worker_id = $1`, [worker.id]);
      for (const stage of stages)
        await manager.query(
          `INSERT INTO gyre_worker_stages
             (worker_id, pipeline, stage, handler, state, in_flight, processed, retried, dead_lettered, problem)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            worker.id,
            stage.pipeline,
            stage.stage,
            stage.handler,
            stage.state,
            stage.inFlight,
            stage.processed,
            stage.retried,
            stage.deadLettered,
            stage.problem ?? null,
          ],
        );
    });
  }

  /** A worker that stops cleanly removes itself (a killed one just stops being seen). */
  async remove(workerId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM gyre_workers WHERE id = $1`, [workerId]);
  }

  async stagesOf(pipeline: string): Promise<WorkerStageRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.worker_id, w.host, w.pid, w.started_at, w.last_seen, s.pipeline, s.stage, s.handler, s.state,
              s.in_flight, s.processed, s.retried, s.dead_lettered, s.problem
         FROM gyre_worker_stages s JOIN gyre_workers w ON w.id = s.worker_id
        WHERE s.pipeline = $1 ORDER BY s.stage, s.worker_id`,
      [pipeline],
    )) as {
      worker_id: string;
      host: string;
      pid: number;
      started_at: Date;
      last_seen: Date;
      pipeline: string;
      stage: string;
      handler: string;
      state: string;
      in_flight: number;
      processed: string;
      retried: string;
      dead_lettered: string;
      problem: string | null;
    }[];
    return rows.map((row) => ({
      worker: row.worker_id,
      host: row.host,
      pid: row.pid,
      startedAt: row.started_at,
      lastSeen: row.last_seen,
      pipeline: row.pipeline,
      stage: row.stage,
      handler: row.handler,
      state: row.state,
      inFlight: row.in_flight,
      processed: Number(row.processed),
      retried: Number(row.retried),
      deadLettered: Number(row.dead_lettered),
      ...(row.problem === null ? {} : { problem: row.problem }),
    }));
  }
}
