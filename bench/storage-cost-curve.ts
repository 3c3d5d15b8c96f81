/**
 * The storage cost curve at a larger scale than its integration test (apps/api/test/storage-cost-curve.int-spec.ts),
 * on the running local stack: the API is started in-process, a one-partition stream gets its own offload
 * threshold (deletion lag 0), and each round publishes --events unbatched events of --payload bytes with
 * @gyre/pulsar (one entry each, so the broker rolls a ledger every managedLedgerMaxEntriesPerLedger = 5000
 * entries). After each round, once the offloader is done, it prints BookKeeper's and S3's bytes from
 * GET /admin/streams/{s}/storage and from the bucket itself, then reads everything back and counts it.
 *
 *   npx ts-node bench/storage-cost-curve.ts [--rounds 12] [--events 10000] [--payload 1024] [--threshold-mib 16]
 *
 * Not a benchmark with a reference side: it measures where bytes live, not speed. The stream is deleted at the end.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Client, MessageId } from '@gyre/pulsar';
import { clientAs, issueKey } from '../apps/api/test/auth-helpers';
import {
  bucketBytes,
  costCurveRow,
  CostCurveRow,
  costCurveStream,
  costCurveTable,
  publishRound,
  s3,
  settledStorage,
} from '../apps/api/test/storage-cost-curve';
import { endpoints, startApiWith } from '../apps/api/test/streams-helpers';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '12' },
      events: { type: 'string', default: '10000' },
      payload: { type: 'string', default: '1024' },
      'threshold-mib': { type: 'string', default: '16' },
    },
  });
  const rounds = Number(values.rounds);
  const events = Number(values.events);
  const payload = Number(values.payload);
  const threshold = Number(values['threshold-mib']) * 1024 * 1024;

  const app = await startApiWith({ LOG_LEVEL: 'error' });
  const pulsar = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
  const operator = await issueKey(app, 'admin');
  const { stream, topic } = await costCurveStream(app, operator, threshold);
  try {
    console.log(
      `stream ${stream}: ${rounds} rounds of ${events} events of ${payload} B, offload threshold ${values['threshold-mib']} MiB, deletion lag 0`,
    );
    const producer = await pulsar.createProducer({ topic, batchingEnabled: false, maxPendingMessages: 1000 });
    const rows: CostCurveRow[] = [];
    let sent = 0;
    const started = performance.now();
    for (let round = 1; round <= rounds; round++) {
      sent += await publishRound(producer, round, events, payload);
      const state = await settledStorage(app, operator, stream, threshold, 300_000);
      const objects = await bucketBytes(state.ledgers.map((ledger) => ledger.ledgerId));
      rows.push(costCurveRow(round, round * events, sent, state, objects));
      const row = rows.at(-1)!;
      console.log(
        `round ${round}: ${(row.storedBytes / 1048576).toFixed(1)} MiB stored, BookKeeper ${(row.bookKeeperBytes / 1048576).toFixed(1)} MiB, S3 ${(row.s3LedgerBytes / 1048576).toFixed(1)} MiB (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    await producer.close();
    console.log(`\n${costCurveTable(rows)}`);

    const readStarted = performance.now();
    const reader = await pulsar.createReader({
      topic: `${topic}-partition-0`,
      startMessageId: MessageId.earliest(),
    });
    let read = 0;
    while (await reader.hasMessageAvailable()) {
      await reader.readNext(30_000);
      read++;
    }
    await reader.close();
    const seconds = (performance.now() - readStarted) / 1000;
    console.log(
      `read back ${read} of ${rounds * events} events in ${seconds.toFixed(1)} s (${Math.round(read / seconds)} events/s, ${rows.at(-1)!.s3Ledgers} ledgers from S3)`,
    );
    if (read !== rounds * events) process.exitCode = 1;
  } finally {
    await clientAs(app, operator).delete(`/admin/streams/${stream}?confirm=${stream}`);
    await pulsar.close();
    await app.close();
    s3.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
