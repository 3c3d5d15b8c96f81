import { Injectable } from '@nestjs/common';
import { ReplayCheckpointRecord, ReplayJobRecord } from '@gyre/database';
import { MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamCatalog, StreamsError, StreamView } from '@gyre/streams';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { invalidReplay, ReplayError } from '../errors';
import { nextState, ReplayAction } from '../model/job-state';
import { PartitionBounds, resolvePartitionBounds } from '../model/partition-bounds';
import { entriesBetween } from '../model/positions';
import type { ReplayRequest } from '../model/replay-spec';
import { ReplayJobStore } from './replay-job.store';
import { ReplayJobView, toView } from './replay-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Starts, lists, inspects, pauses, resumes and cancels replay jobs; the workers' ReplayRunner runs them. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ReplayJobStore,
    private readonly catalog: StreamCatalog,
    private readonly admin: PulsarAdmin,
  ) {}

  /**
   * Checks the request against the source stream, resolves each partition's start and end (the end
   * "last message at start" is read now, so later events are never replayed), makes sure the target
   * stream exists (created like the source when missing), and records the job as pending.
   */
  async create(request: ReplayRequest, actor: string): Promise<ReplayJobView> {
    if (request.target.kind !== 'stream')
      throw new ReplayError(
        'REPLAY_TARGET_NOT_IMPLEMENTED',
        `replay target "${request.target.kind}" is not implemented yet; only "stream" is (see docs/replay.md)`,
      );
    const source = await this.describe(request.source, '/source');
    if (request.target.stream === source.name)
      throw invalidReplay([{ pointer: '/target/stream', detail: 'must differ from the source stream' }]);
    const bounds = resolvePartitionBounds(request.start, request.end, await this.lastMessages(source));
    const estimates = await this.estimates(source, bounds);
    await this.ensureTarget(request.target.stream, source, actor);
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(ReplayJobRecord, {
        id,
        sourceStream: source.name,
        startPosition: request.start,
        endPosition: request.end,
        filter: request.filter ?? null,
        target: request.target,
        rateLimitPerSecond: request.rateLimitPerSecond ?? null,
        state: 'pending',
        createdBy: actor,
      });
      await manager.insert(
        ReplayCheckpointRecord,
        bounds.map((bound, index) => ({
          jobId: id,
          partition: bound.partition,
          startId: bound.start?.toOpaqueString() ?? null,
          endId: bound.end?.toOpaqueString() ?? null,
          estimated: String(estimates[index]),
          done: bound.end === undefined,
        })),
      );
      await this.store.audit(manager, actor, 'replay.create', id, null, { ...request, state: 'pending' });
    });
    return this.get(id);
  }

  async list(): Promise<ReplayJobView[]> {
    const jobs = await this.store.list();
    const checkpoints = await this.store.checkpoints(jobs.map((job) => job.id));
    return jobs.map((job) => toView(job, checkpoints));
  }

  async get(id: string): Promise<ReplayJobView> {
    const job = UUID.test(id) ? await this.store.find(id) : null;
    if (!job) throw notFound(id);
    return toView(job, await this.store.checkpoints([id]));
  }

  /** pause, resume or cancel; a running job's worker sees the change at its next heartbeat. */
  async transition(id: string, action: ReplayAction, actor: string): Promise<ReplayJobView> {
    if (!UUID.test(id)) throw notFound(id);
    await this.dataSource.transaction(async (manager) => {
      const job = await this.store.lock(manager, id);
      if (!job) throw notFound(id);
      const state = nextState(job.state, action);
      await manager.update(
        ReplayJobRecord,
        { id },
        {
          state,
          updatedAt: () => 'now()',
          ...(state === 'cancelled' ? { finishedAt: () => 'now()' } : {}),
        },
      );
      await this.store.audit(manager, actor, `replay.${action}`, id, { state: job.state }, { state });
    });
    return this.get(id);
  }

  private async describe(stream: string, pointer: string): Promise<StreamView> {
    try {
      return await this.catalog.describe(stream);
    } catch (error) {
      if (error instanceof StreamsError && error.code === 'STREAM_NOT_FOUND')
        throw invalidReplay([{ pointer, detail: `stream "${stream}" does not exist` }]);
      throw error;
    }
  }

  private async ensureTarget(stream: string, source: StreamView, actor: string): Promise<void> {
    try {
      await this.catalog.describe(stream);
    } catch (error) {
      if (!(error instanceof StreamsError && error.code === 'STREAM_NOT_FOUND')) throw error;
      await this.catalog
        .create(
          { name: stream, ownerTeam: source.ownerTeam, partitions: source.partitions, schema: source.schema },
          actor,
        )
        .catch((creation: unknown) => {
          // Another request created it meanwhile: fine. A bad name is the request's fault.
          if (creation instanceof StreamsError && creation.code === 'STREAM_EXISTS') return;
          if (creation instanceof StreamsError && creation.code === 'INVALID_STREAM_DEFINITION')
            throw invalidReplay([{ pointer: '/target/stream', detail: 'is not a valid stream name' }]);
          throw creation;
        });
    }
  }

  /** Each partition's last message now; undefined for an empty partition. */
  private async lastMessages(source: StreamView): Promise<Array<MessageId | undefined>> {
    return this.pulsar(() =>
      Promise.all(
        Array.from({ length: source.partitions }, async (_, partition) => {
          const last = await this.admin.lastMessageId(`${source.topic}-partition-${partition}`);
          return last.entryId < 0 || last.ledgerId < 0
            ? undefined
            : new MessageId(BigInt(last.ledgerId), BigInt(last.entryId), partition);
        }),
      ),
    );
  }

  private async estimates(source: StreamView, bounds: PartitionBounds[]): Promise<number[]> {
    return this.pulsar(() =>
      Promise.all(
        bounds.map(async (bound) => {
          if (!bound.end) return 0;
          const stats = await this.admin.internalStats(`${source.topic}-partition-${bound.partition}`);
          return entriesBetween(stats.ledgers ?? [], bound.start, bound.end);
        }),
      ),
    );
  }

  private async pulsar<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ReplayError('REPLAY_SOURCE_UNAVAILABLE', "could not read the source stream's positions", {
        retriable: true,
        cause: error,
      });
    }
  }
}

function notFound(id: string): ReplayError {
  return new ReplayError('REPLAY_NOT_FOUND', `replay "${id.slice(0, 100)}" does not exist`);
}
