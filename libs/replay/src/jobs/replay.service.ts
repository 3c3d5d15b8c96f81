import { Injectable } from '@nestjs/common';
import { ReplayCheckpointRecord, ReplayJobRecord } from '@gyre/database';
import { MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamCatalog, StreamsError, StreamView } from '@gyre/streams';
import { ReplayDatasetStore } from './replay-dataset.store';
import { ReplayTargets } from './replay-targets';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { invalidReplay, ReplayError } from '../errors';
import { nextState, ReplayAction } from '../model/job-state';
import { PartitionBounds, resolvePartitionBounds } from '../model/partition-bounds';
import { compareEntries, entriesBetween } from '../model/positions';
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
    private readonly targets: ReplayTargets,
    private readonly datasets: ReplayDatasetStore,
  ) {}

  /**
   * Checks the request against the source stream, resolves each partition's start and end (the end
   * "last message at start" is read now, so later events are never replayed), makes sure the target
   * stream exists (created like the source when missing), and records the job as pending.
   */
  async create(request: ReplayRequest, actor: string): Promise<ReplayJobView> {
    const source = await this.describe(request.source, '/source');
    const last = await this.lastMessages(source);
    const bounds = resolvePartitionBounds(request.start, request.end, last);
    if (request.start.kind === 'timestamp') await this.seekStarts(source, request.start.timestamp, bounds);
    const estimates = await this.estimates(source, bounds);
    const id = randomUUID();
    const { target, dataset } = await this.targets.resolve(request, source, id, actor);
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(ReplayJobRecord, {
        id,
        sourceStream: source.name,
        startPosition: request.start,
        endPosition: request.end,
        filter: request.filter ?? null,
        target,
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
      if (dataset) await this.datasets.create(manager, dataset);
      await this.store.audit(manager, actor, 'replay.create', id, null, {
        ...request,
        target,
        state: 'pending',
      });
    });
    return this.get(id);
  }

  async list(): Promise<ReplayJobView[]> {
    const jobs = await this.store.list();
    const checkpoints = await this.store.checkpoints(jobs.map((job) => job.id));
    return jobs.map((job) => toView(job, checkpoints));
  }

  /** The dataset a Parquet export or a feature rebuild writes: its manifest and its parts so far. */
  async dataset(id: string) {
    const found = UUID.test(id) ? await this.datasets.find(id) : undefined;
    if (!found) throw new ReplayError('REPLAY_NOT_FOUND', `replay "${id.slice(0, 100)}" has no dataset`);
    return { ...found, parts: await this.datasets.parts(id) };
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

  /**
   * A timestamp start becomes, per partition, the first entry published at or after it (Pulsar's
   * message-id-by-timestamp), so the reader starts there instead of scanning from the earliest message.
   * A partition with nothing that recent has nothing to replay.
   */
  private async seekStarts(source: StreamView, timestamp: number, bounds: PartitionBounds[]): Promise<void> {
    await this.pulsar(() =>
      Promise.all(
        bounds.map(async (bound) => {
          if (!bound.end) return;
          const found = await this.admin.messageIdByTimestamp(
            `${source.topic}-partition-${bound.partition}`,
            timestamp,
          );
          const start = new MessageId(BigInt(found.ledgerId), BigInt(found.entryId), bound.partition);
          if (compareEntries(start, bound.end) > 0) bound.end = undefined;
          else bound.start = start;
        }),
      ),
    );
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
