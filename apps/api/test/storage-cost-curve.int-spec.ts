import type { INestApplication } from '@nestjs/common';
import { Client, MessageId } from '@gyre/pulsar';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import {
  bucketBytes,
  closedInBookKeeper,
  costCurveRow,
  CostCurveRow,
  costCurveStream,
  costCurveTable,
  paddedPayload,
  publishRound,
  s3,
  settledStorage,
} from './storage-cost-curve';
import { endpoints, startApiWith } from './streams-helpers';

// The broker rolls a ledger over every managedLedgerMaxEntriesPerLedger (5000, pulsar/conf/standalone.conf)
// entries; unbatched, an event is an entry, so 2500 events a round close a ledger every second round. An odd
// number of rounds ends half-way into a ledger, so the last rollover has surely happened when it is measured.
const ROUNDS = 9;
const EVENTS_PER_ROUND = 2500;
const PAYLOAD_BYTES = 100;
const THRESHOLD_BYTES = 1024 * 1024;

describe('Storage cost curve on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let pulsar: Client;
  let stream: string | undefined;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    pulsar = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
  });
  afterAll(async () => {
    if (stream) await clientAs(app, operator).delete(`/admin/streams/${stream}?confirm=${stream}`);
    await pulsar?.close();
    await app?.close();
    s3.destroy();
  });

  it('keeps BookKeeper within the offload threshold plus the open ledger while S3 holds the rest, and loses nothing', async () => {
    const created = await costCurveStream(app, operator, THRESHOLD_BYTES);
    stream = created.stream;
    const topic = created.topic;
    const producer = await pulsar.createProducer({
      topic,
      batchingEnabled: false,
      maxPendingMessages: 1000,
    });
    const rows: CostCurveRow[] = [];
    let payloadBytes = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      payloadBytes += await publishRound(producer, round, EVENTS_PER_ROUND, PAYLOAD_BYTES);
      // Times out (and fails) unless the offloader brings the closed ledgers in BookKeeper under the threshold.
      const state = await settledStorage(app, operator, created.stream, THRESHOLD_BYTES);
      const objects = await bucketBytes(state.ledgers.map((ledger) => ledger.ledgerId));
      const row = costCurveRow(round, round * EVENTS_PER_ROUND, payloadBytes, state, objects);
      rows.push(row);

      // BookKeeper's share: at most the threshold of closed ledgers, plus the open ledger (never offloaded).
      expect(row.bookKeeperBytes).toBeLessThanOrEqual(THRESHOLD_BYTES + row.openLedgerBytes);
      expect(state.ledgers.at(-1)).toMatchObject({ offloaded: false, inBookKeeper: true });
      // Every byte is in exactly one tier, and the oldest ledgers are the ones in S3.
      expect(row.bookKeeperBytes + row.s3LedgerBytes).toBe(row.storedBytes);
      const offloadedFlags = state.ledgers.map((ledger) => ledger.offloaded);
      expect(offloadedFlags).toEqual([...offloadedFlags].sort((a, b) => Number(b) - Number(a)));
      // S3 holds no more than it must: keeping the newest offloaded ledger would have passed the threshold.
      const newestOffloaded = state.ledgers.filter((ledger) => ledger.offloaded).at(-1);
      const kept = closedInBookKeeper(state).reduce((sum, ledger) => sum + ledger.bytes, 0);
      if (newestOffloaded) expect(kept + newestOffloaded.bytes).toBeGreaterThan(THRESHOLD_BYTES);
      // The bucket, listed directly, has the data and index objects of every S3 ledger, as the API reports.
      expect(state.s3.missingLedgers).toEqual([]);
      for (const ledger of state.ledgers.filter((l) => l.offloaded))
        expect(objects.get(ledger.ledgerId)).toBeGreaterThan(ledger.bytes);
      // (At least: a retried offload may leave a second copy under another uuid, which the API counts once.)
      expect(row.s3ObjectBytes).toBeGreaterThanOrEqual(state.s3.bytes);
      // Pulsar stores each payload with its metadata: never fewer bytes than were sent.
      expect(row.storedBytes).toBeGreaterThanOrEqual(payloadBytes);
      if (rows.length > 1) expect(row.storedBytes).toBeGreaterThan(rows[rows.length - 2].storedBytes);
    }
    await producer.close();
    process.stdout.write(`storage cost curve of ${created.stream}:\n${costCurveTable(rows)}`);

    const last = rows.at(-1)!;
    expect(last.s3Ledgers).toBeGreaterThanOrEqual(2);
    expect(last.s3LedgerBytes).toBeGreaterThan(last.bookKeeperBytes);

    // Nothing lost: every event reads back from the earliest position, in order, most of them from S3.
    const reader = await pulsar.createReader({
      topic: `${topic}-partition-0`,
      startMessageId: MessageId.earliest(),
    });
    let read = 0;
    const mismatches: string[] = [];
    for (let round = 1; round <= ROUNDS; round++)
      for (let index = 0; index < EVENTS_PER_ROUND; index++) {
        const data = (await reader.readNext(30_000)).getData().toString('utf8');
        read++;
        if (data !== paddedPayload(round, index, PAYLOAD_BYTES) && mismatches.length < 3)
          mismatches.push(`round ${round} event ${index}: ${data.slice(0, 40)}`);
      }
    expect(await reader.hasMessageAvailable()).toBe(false);
    await reader.close();
    expect(read).toBe(ROUNDS * EVENTS_PER_ROUND);
    expect(mismatches).toEqual([]);
  });
});
