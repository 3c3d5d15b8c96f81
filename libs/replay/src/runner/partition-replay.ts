import { Client, MessageId, TimeoutError } from '@gyre/pulsar';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { ReplayError } from '../errors';
import type { CheckpointUpdate } from '../jobs/replay-job.store';
import { replayEventId } from '../model/event-id';
import { matchesFilter } from '../model/filter';
import { endVerdict } from '../model/positions';
import { RateLimiter } from '../model/progress';
import type { ReplayFilter } from '../model/replay-spec';
import { CheckpointWriter } from './checkpoint-writer';
import type { ReplaySink } from './replay-sink';

const READ_TIMEOUT_MS = 250;

/** One partition's share of a job, as the checkpoint left it. */
export interface PartitionWork {
  jobId: string;
  /** The source stream's (partitioned) topic. */
  topic: string;
  partition: number;
  start: MessageId | undefined;
  end: MessageId;
  lastId: MessageId | undefined;
  scanned: number;
  events: number;
  bytes: number;
  filter: ReplayFilter | undefined;
  /** Publish-time bounds, inclusive (ms since the epoch). */
  startTimestamp: number | undefined;
  endTimestamp: number | undefined;
}

export interface PartitionReplayContext {
  client: Client;
  sink: ReplaySink;
  limiter: RateLimiter | undefined;
  signal: AbortSignal;
  checkpointEveryEvents: number;
  checkpointIntervalMs: number;
  maxInFlight: number;
  checkpoint(update: CheckpointUpdate): Promise<void>;
  onScanned(): void;
}

/**
 * Reads one partition with a Reader (a non-durable cursor: live subscriptions are untouched) from its
 * checkpoint, in order, and publishes each matching event to the target; checkpoints only positions
 * whose events the target holds durably. A checkpoint's write to Postgres (and, for a target that is
 * durable on acknowledgement, the wait for those acknowledgements) goes on while the partition reads
 * on: at most one write in flight, so up to twice `maxInFlight` sends may await acknowledgement.
 * Resolves 'done' at the partition's end (its last checkpoint written), 'stopped' on abort.
 */
export async function replayPartition(
  work: PartitionWork,
  context: PartitionReplayContext,
): Promise<'done' | 'stopped'> {
  const state = { ...work };
  const reader = await context.client
    .createReader({
      topic: `${work.topic}-partition-${work.partition}`,
      startMessageId: work.lastId ?? work.start ?? MessageId.earliest(),
      // From a checkpoint: after the last message done; from a given start id: that message too.
      startMessageIdInclusive: work.lastId === undefined,
      receiverQueueSize: 1000,
    })
    .catch((error: unknown) => {
      throw new ReplayError('REPLAY_SOURCE_UNAVAILABLE', 'could not open a reader on the source', {
        retriable: true,
        cause: error,
      });
    });
  let pending: Array<Promise<unknown>> = [];
  let buffered = 0;
  let checkpointed = { scanned: state.scanned, at: performance.now() };
  const everyEvents = context.sink.checkpointEveryEvents ?? context.checkpointEveryEvents;
  const everyMs = context.sink.checkpointIntervalMs ?? context.checkpointIntervalMs;
  const writer = new CheckpointWriter(context.checkpoint);
  /** Checkpoints what was read so far; the write goes on while reading does, except at the last one. */
  const flush = async (last: { done: boolean } | undefined) => {
    context.sink.drain?.();
    let sends = pending;
    pending = [];
    if (!context.sink.durableWhenAcknowledged) {
      // The sink buffers until flushed (Parquet parts): its buffer must be written before reading on.
      await Promise.all(sends);
      sends = [];
      await context.sink.flush();
    }
    buffered = 0;
    await writer.begin(
      {
        partition: work.partition,
        lastId: state.lastId?.toOpaqueString() ?? null,
        scanned: state.scanned,
        events: state.events,
        bytes: state.bytes,
        done: last?.done ?? false,
      },
      sends,
    );
    checkpointed = { scanned: state.scanned, at: performance.now() };
    if (last) await writer.settled();
  };
  try {
    for (;;) {
      if (context.signal.aborted) {
        await flush({ done: false });
        return 'stopped';
      }
      const message = await reader.readNext(READ_TIMEOUT_MS).catch((error: unknown) => {
        if (error instanceof TimeoutError) return undefined;
        throw new ReplayError('REPLAY_SOURCE_UNAVAILABLE', 'reading the source failed', {
          retriable: true,
          cause: error,
        });
      });
      if (!message) {
        if (pending.length > 0 || buffered > 0) await flush(undefined);
        // Idle: a failed write surfaces now rather than at the partition's end.
        else await writer.settled();
        continue;
      }
      const read = message.getMessageId();
      const id = new MessageId(read.ledgerId, read.entryId, work.partition, read.batchIndex, read.batchSize);
      const verdict = endVerdict(id, work.end);
      const publishedAt = message.getPublishTimestamp();
      if (verdict === 'after' || (work.endTimestamp !== undefined && publishedAt > work.endTimestamp)) {
        await flush({ done: true });
        return 'done';
      }
      state.scanned += 1;
      context.onScanned();
      const key = message.hasPartitionKey() ? message.getPartitionKey() : undefined;
      const properties = message.getProperties();
      const inRange = work.startTimestamp === undefined || publishedAt >= work.startTimestamp;
      if (inRange && matchesFilter(work.filter, { key, properties })) {
        const delay = context.limiter?.reserve() ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const data = message.getData();
        const position = id.toJavaString();
        const sourceEventId = properties[EVENT_PROPERTIES.eventId] || position;
        const accepted = context.sink.accept({
          data,
          key,
          eventTimestamp: message.getEventTimestamp() || undefined,
          publishTimestamp: publishedAt,
          sequence: state.scanned,
          position,
          sourceEventId,
          sourceProperties: properties,
          properties: {
            ...properties,
            [EVENT_PROPERTIES.eventId]: replayEventId(work.jobId, position),
            [EVENT_PROPERTIES.parentId]: sourceEventId,
            [EVENT_PROPERTIES.replayJob]: work.jobId,
            [EVENT_PROPERTIES.replayedFrom]: position,
          },
        });
        if (accepted) pending.push(accepted);
        buffered += 1;
        state.events += 1;
        state.bytes += data.length;
      }
      state.lastId = id;
      if (verdict === 'last') {
        await flush({ done: true });
        return 'done';
      }
      if (
        pending.length >= context.maxInFlight ||
        state.scanned - checkpointed.scanned >= everyEvents ||
        performance.now() - checkpointed.at >= everyMs
      )
        await flush(undefined);
    }
  } finally {
    // Sends still in flight (after a failure) settle before the producers close; their errors are moot.
    context.sink.drain?.();
    await Promise.allSettled(pending);
    await writer.settled().catch(() => undefined);
    await reader.close().catch(() => undefined);
  }
}
