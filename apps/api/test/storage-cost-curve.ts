import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { INestApplication } from '@nestjs/common';
import { Producer } from '@gyre/pulsar';
import { waitFor } from '../../../tools/testing';
import { clientAs, TestKey } from './auth-helpers';
import { CLICK_SCHEMA, endpoints, streamName } from './streams-helpers';

/**
 * The storage cost curve, shared by apps/api/test/storage-cost-curve.int-spec.ts and
 * bench/storage-cost-curve.ts: a one-partition stream with a small offload threshold is filled round by
 * round, and after each round the bytes per tier are read from GET /admin/streams/{s}/storage (Pulsar's
 * internal stats) and from the bucket itself (ListObjectsV2 through @aws-sdk/client-s3).
 */

export interface LedgerState {
  ledgerId: number;
  entries: number;
  bytes: number;
  offloaded: boolean;
  inBookKeeper: boolean;
}

export interface StorageState {
  bookKeeper: { ledgers: number; bytes: number };
  offloaded: { ledgers: number; bytes: number };
  s3: { objects: number; bytes: number; missingLedgers: number[] };
  ledgers: LedgerState[];
}

export interface CostCurveRow {
  round: number;
  events: number;
  /** JSON payload bytes sent so far. */
  payloadBytes: number;
  /** Every ledger's size as Pulsar counts it (entries with their metadata), open ledger included. */
  storedBytes: number;
  bookKeeperLedgers: number;
  bookKeeperBytes: number;
  /** The open ledger's bytes: the part of BookKeeper's share no threshold can move. */
  openLedgerBytes: number;
  /** Ledgers offloaded and already deleted from BookKeeper: held by S3 alone. */
  s3Ledgers: number;
  s3LedgerBytes: number;
  /** What the bucket holds for those ledgers (data and index objects), listed directly. */
  s3ObjectBytes: number;
}

export const s3 = new S3Client({
  endpoint: endpoints.s3Endpoint,
  region: endpoints.s3Region,
  forcePathStyle: true,
  credentials: { accessKeyId: endpoints.s3AccessKeyId, secretAccessKey: endpoints.s3SecretAccessKey },
});

/** A one-partition stream whose own offload threshold is `thresholdBytes`, with no deletion lag. */
export async function costCurveStream(
  app: INestApplication,
  operator: TestKey,
  thresholdBytes: number,
): Promise<{ stream: string; topic: string }> {
  const stream = streamName();
  const http = () => clientAs(app, operator);
  await http()
    .post('/admin/streams')
    .send({ name: stream, ownerTeam: 'storage', partitions: 1, schema: CLICK_SCHEMA })
    .expect(201);
  await http()
    .put(`/admin/streams/${stream}/storage/policies`)
    .send({ offloadThresholdBytes: thresholdBytes, offloadDeletionLagMs: 0 })
    .expect(200);
  // Topic policies reach the broker through its system topic: wait until they read back.
  await waitFor(
    async () => {
      const { body } = await http().get(`/admin/streams/${stream}/storage/policies`).expect(200);
      return body.offloadThresholdBytes === thresholdBytes && body.offloadDeletionLagMs === 0;
    },
    { description: 'the stream offload policies to apply' },
  );
  return { stream, topic: `persistent://gyre/streams/${stream}` };
}

/** A click payload whose JSON text is exactly `bytes` long. */
export function paddedPayload(round: number, index: number, bytes: number): string {
  const base = { user: `r${round}-${index}`, amount: index, pad: '' };
  return JSON.stringify({ ...base, pad: 'x'.repeat(Math.max(0, bytes - JSON.stringify(base).length)) });
}

/** Publishes one round; `producer` must not batch, so each event is one entry and ledgers roll by count. */
export async function publishRound(
  producer: Producer,
  round: number,
  events: number,
  payloadBytes: number,
): Promise<number> {
  let bytes = 0;
  const inFlight: Array<Promise<unknown>> = [];
  for (let index = 0; index < events; index++) {
    const data = Buffer.from(paddedPayload(round, index, payloadBytes));
    bytes += data.length;
    inFlight.push(producer.send({ data }));
    if (inFlight.length >= 1000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return bytes;
}

export async function storageOf(
  app: INestApplication,
  operator: TestKey,
  stream: string,
): Promise<StorageState> {
  return (await clientAs(app, operator).get(`/admin/streams/${stream}/storage`).expect(200)).body;
}

/** Bytes of the bucket's objects for these ledgers (`<uuid>-ledger-<id>` and `-index`), listed page by page. */
export async function bucketBytes(ledgerIds: number[]): Promise<Map<number, number>> {
  const wanted = new Set(ledgerIds);
  const bytes = new Map<number, number>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: endpoints.s3BucketTiered, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const id = Number(/-ledger-(\d+)(-index)?$/.exec(object.Key ?? '')?.[1]);
      if (wanted.has(id)) bytes.set(id, (bytes.get(id) ?? 0) + (object.Size ?? 0));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return bytes;
}

/** Closed ledgers still in BookKeeper and not offloaded: the bytes the threshold bounds. */
export function closedInBookKeeper(state: StorageState): LedgerState[] {
  return state.ledgers.slice(0, -1).filter((ledger) => !ledger.offloaded);
}

/**
 * Waits until the offloader has done its work for the current ledgers: the closed ledgers left in
 * BookKeeper fit in the threshold and no offloaded ledger is still in BookKeeper (deletion lag 0).
 */
export function settledStorage(
  app: INestApplication,
  operator: TestKey,
  stream: string,
  thresholdBytes: number,
  timeoutMs = 60_000,
): Promise<StorageState> {
  return waitFor(
    async () => {
      const state = await storageOf(app, operator, stream);
      const kept = closedInBookKeeper(state).reduce((sum, ledger) => sum + ledger.bytes, 0);
      const lingering = state.ledgers.some((ledger) => ledger.offloaded && ledger.inBookKeeper);
      return kept <= thresholdBytes && !lingering ? state : undefined;
    },
    {
      timeoutMs,
      intervalMs: 250,
      description: `closed ledgers in BookKeeper of ${stream} to fit ${thresholdBytes} bytes`,
    },
  );
}

export function costCurveRow(
  round: number,
  events: number,
  payloadBytes: number,
  state: StorageState,
  objects: Map<number, number>,
): CostCurveRow {
  const s3Only = state.ledgers.filter((ledger) => ledger.offloaded && !ledger.inBookKeeper);
  return {
    round,
    events,
    payloadBytes,
    storedBytes: state.ledgers.reduce((sum, ledger) => sum + ledger.bytes, 0),
    bookKeeperLedgers: state.bookKeeper.ledgers,
    bookKeeperBytes: state.bookKeeper.bytes,
    openLedgerBytes: state.ledgers.at(-1)?.bytes ?? 0,
    s3Ledgers: s3Only.length,
    s3LedgerBytes: s3Only.reduce((sum, ledger) => sum + ledger.bytes, 0),
    s3ObjectBytes: s3Only.reduce((sum, ledger) => sum + (objects.get(ledger.ledgerId) ?? 0), 0),
  };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

/** The curve as a Markdown table (MiB), as docs/tiered-storage.md shows it. */
export function costCurveTable(rows: CostCurveRow[]): string {
  const lines = [
    '| round | events | stored (MiB) | BookKeeper (MiB) | of which open ledger | BookKeeper share | S3 only (MiB) | S3 objects (MiB) | ledgers BK / S3 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows)
    lines.push(
      `| ${row.round} | ${row.events} | ${mib(row.storedBytes)} | ${mib(row.bookKeeperBytes)} | ${mib(row.openLedgerBytes)} | ` +
        `${row.storedBytes > 0 ? Math.round((row.bookKeeperBytes / row.storedBytes) * 100) : 0}% | ${mib(row.s3LedgerBytes)} | ` +
        `${mib(row.s3ObjectBytes)} | ${row.bookKeeperLedgers} / ${row.s3Ledgers} |`,
    );
  return `${lines.join('\n')}\n`;
}
