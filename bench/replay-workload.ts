/**
 * The replay benchmark's workload and its read passes: card transactions padded to a fixed size,
 * published the way the ingest API publishes them, and three ways of reading a stream back.
 */
import { Client, MessageId } from '../libs/pulsar/src';
import type { ProducerMessage } from '../libs/pulsar/src';
import { PulsarAdmin } from '../libs/pulsar-admin/src';
import { CardTransaction, FRAUD_FEATURES_V1, FraudFeatureState, generateFraudScenario } from '../libs/ml/src';
import { EVENT_PROPERTIES } from '../libs/streams/src';
import { replayPartition } from '../libs/replay/src/runner/partition-replay';
import type { ReplayedEvent, ReplaySink } from '../libs/replay/src/runner/replay-sink';

const CHUNK = 100_000;
const DAY_MS = 86_400_000;

/** `count` transactions as JSON padded with spaces to exactly `size` bytes, generated 100 000 at a time. */
export function* transactionEvents(
  count: number,
  size: number,
): Generator<{ key: string; data: Buffer; eventId: string; timestamp: number }> {
  for (let first = 0; first < count; first += CHUNK) {
    const { transactions } = generateFraudScenario({
      seed: `bench-replay-${first}`,
      transactionCount: Math.min(CHUNK, count - first),
      // Chunks two weeks apart: the generator strays a little past its period, and cards recur across chunks.
      start: Date.UTC(2025, 0, 1) + (first / CHUNK) * 14 * DAY_MS,
      durationMs: 7 * DAY_MS,
    });
    for (const transaction of transactions) {
      const json = JSON.stringify(transaction);
      if (Buffer.byteLength(json) > size) throw new Error(`a transaction needs more than ${size} bytes`);
      yield {
        key: transaction.cardId,
        data: Buffer.from(json.padEnd(size, ' ')),
        eventId: transaction.eventId,
        timestamp: transaction.timestamp,
      };
    }
  }
}

/**
 * Publishes with the ingest API's producer settings (batching 5 ms), at most `maxPending` in flight;
 * `batchingEnabled: false` writes one event per entry, as history ingested one event at a time looks.
 */
export async function publishEvents(
  client: Client,
  topic: string,
  events: Iterable<{ key: string; data: Buffer; eventId: string; timestamp: number }>,
  batchingEnabled = true,
  maxPending = 4000,
): Promise<{ count: number; bytes: number; seconds: number }> {
  const producer = await client.createProducer({
    topic,
    batchingEnabled,
    batchingMaxPublishDelayMs: 5,
    maxPendingMessages: maxPending,
    sendTimeoutMs: 0,
  });
  let inFlight = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let count = 0;
  let bytes = 0;
  const started = performance.now();
  for (const event of events) {
    if (failure !== undefined) break;
    if (inFlight >= maxPending) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    const message: ProducerMessage = {
      data: event.data,
      partitionKey: event.key,
      eventTimestamp: event.timestamp,
      properties: { [EVENT_PROPERTIES.eventId]: event.eventId },
    };
    producer.send(message).then(
      () => {
        inFlight--;
        wake?.();
        wake = undefined;
      },
      (error: unknown) => {
        failure = error;
        wake?.();
      },
    );
    count++;
    bytes += event.data.length;
  }
  await producer.flush();
  if (failure !== undefined) throw failure;
  await producer.close();
  return { count, bytes, seconds: (performance.now() - started) / 1000 };
}

export interface ReadFigures {
  events: number;
  bytes: number;
  seconds: number;
}

/**
 * The reference: `copies` plain @gyre/pulsar Readers per partition (1 by default), each from the earliest
 * message up to the partition's last message (`ends`), all in parallel. A read that waits over a minute
 * fails the run.
 */
export async function readRaw(
  client: Client,
  topic: string,
  ends: MessageId[],
  copies = 1,
): Promise<ReadFigures> {
  const started = performance.now();
  const readers = ends.flatMap((end, partition) =>
    Array.from({ length: copies }, () => ({ end, partition })),
  );
  const counts = await Promise.all(
    readers.map(async ({ end, partition }) => {
      const reader = await client.createReader({
        topic: `${topic}-partition-${partition}`,
        startMessageId: MessageId.earliest(),
        receiverQueueSize: 1000,
      });
      let events = 0;
      let bytes = 0;
      try {
        for (;;) {
          const message = await reader.readNext(60_000);
          events++;
          bytes += message.getData().length;
          const id = message.getMessageId();
          const lastOfEntry = id.batchIndex < 0 || id.batchIndex >= id.batchSize - 1;
          if (id.ledgerId === end.ledgerId && id.entryId === end.entryId && lastOfEntry) break;
        }
      } finally {
        await reader.close();
      }
      return { events, bytes };
    }),
  );
  return sum(counts, started);
}

/** Receives replayed events in place of a target: counts them, and can compute features on them. */
class CountingSink implements ReplaySink {
  events = 0;
  bytes = 0;

  constructor(private readonly onEvent?: (data: Buffer) => void) {}

  accept(event: ReplayedEvent): undefined {
    this.events++;
    this.bytes += event.data.length;
    this.onEvent?.(event.data);
    return undefined;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The replay runner's read path (replayPartition: reader, end check, filter, lineage properties,
 * checkpoints every 500 events) for every partition in parallel, into a sink instead of a target stream:
 * what reading history costs without the cost of writing it somewhere.
 */
export async function readThroughRunner(
  client: Client,
  topic: string,
  ends: MessageId[],
  onEventIn?: (partition: number) => (data: Buffer) => void,
): Promise<ReadFigures> {
  const started = performance.now();
  const abort = new AbortController();
  const sinks = ends.map((_, partition) => new CountingSink(onEventIn?.(partition)));
  await Promise.all(
    ends.map((end, partition) =>
      replayPartition(
        {
          jobId: 'bench',
          topic,
          partition,
          start: undefined,
          end,
          lastId: undefined,
          scanned: 0,
          events: 0,
          bytes: 0,
          filter: undefined,
          startTimestamp: undefined,
          endTimestamp: undefined,
        },
        {
          client,
          sink: sinks[partition],
          limiter: undefined,
          signal: abort.signal,
          checkpointEveryEvents: 500,
          checkpointIntervalMs: 1000,
          maxInFlight: 1000,
          checkpoint: () => Promise.resolve(),
          onScanned: () => undefined,
        },
      ),
    ),
  );
  return sum(sinks, started);
}

/**
 * Rebuilds fraud features (FRAUD_FEATURES_V1) from the replayed transactions: one feature state per source
 * partition, as a partition-parallel rebuild keeps it (a card's events all live in one partition, in order).
 */
export function featureRebuilder(): {
  onEventIn: (partition: number) => (data: Buffer) => void;
  rows: () => number;
} {
  let rows = 0;
  return {
    onEventIn: () => {
      const state = new FraudFeatureState(FRAUD_FEATURES_V1);
      return (data) => {
        state.process(JSON.parse(data.toString('utf8')) as CardTransaction);
        rows++;
      };
    },
    rows: () => rows,
  };
}

/** Each partition's last message id, from the admin API, as a replay job resolves its end at creation. */
export async function lastMessageIds(
  admin: PulsarAdmin,
  topic: string,
  partitions: number,
): Promise<MessageId[]> {
  return Promise.all(
    Array.from({ length: partitions }, async (_, partition) => {
      const last = await admin.lastMessageId(`${topic}-partition-${partition}`);
      if (last.ledgerId < 0 || last.entryId < 0) throw new Error(`partition ${partition} is empty`);
      return new MessageId(BigInt(last.ledgerId), BigInt(last.entryId), partition);
    }),
  );
}

function sum(parts: Array<{ events: number; bytes: number }>, started: number): ReadFigures {
  return {
    events: parts.reduce((total, part) => total + part.events, 0),
    bytes: parts.reduce((total, part) => total + part.bytes, 0),
    seconds: (performance.now() - started) / 1000,
  };
}
