import type { INestApplicationContext } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { Client } from '@gyre/pulsar';
import { ReplayJobView, ReplayRunner, ReplayService } from '@gyre/replay';
import { createS3Client, decodeParquetDataset, S3Storage } from '@gyre/storage';
import { StreamCatalog } from '@gyre/streams';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parquetMetadata } from 'hyparquet';
import { AppProcess, startApp, uniqueName, waitFor } from '../../../tools/testing';
import { createReplayTestApp } from './replay-test-app';
import { testEndpoints } from '../../../tools/testing';

const endpoints = testEndpoints();
const SCHEMA = {
  type: 'object',
  properties: { user: { type: 'string' }, amount: { type: 'number' }, count: { type: 'integer' } },
};

describe('a Parquet export whose worker dies mid-job', () => {
  let app: INestApplicationContext;
  let client: Client;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    app = await createReplayTestApp();
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exit;
    }
    await app?.get(ReplayRunner).stop();
    await client?.close();
    await app?.close();
  });

  it('is resumed into parts that hold every event exactly once, typed from the schema and readable as standard Parquet', async () => {
    const catalog = app.get(StreamCatalog);
    const source = await catalog.create(
      { name: uniqueName('it-export-src'), ownerTeam: 'ml', partitions: 2, schema: SCHEMA },
      'it',
    );
    const producer = await client.createProducer({ topic: source.topic });
    const sent = Array.from({ length: 300 }, (_, i) => ({
      key: `k-${i % 7}`,
      payload: { user: `ü-${i} "✓"`, amount: i / 4, count: i },
      properties: { parity: i % 2 === 0 ? 'even' : 'odd' },
    }));
    await Promise.all(
      sent.map((event) =>
        producer.send({
          data: Buffer.from(JSON.stringify(event.payload)),
          partitionKey: event.key,
          properties: event.properties,
          eventTimestamp: 1_700_000_000_000 + event.payload.count,
        }),
      ),
    );
    await producer.close();
    const replays = app.get(ReplayService);
    const job = await replays.create(
      {
        source: source.name,
        start: { kind: 'earliest' },
        end: { kind: 'lastAtStart' },
        target: { kind: 'datasetExport', dataset: `it/${source.name}` },
        rateLimitPerSecond: 100,
      },
      'it',
    );

    worker = startApp('libs/replay/test/fixtures/replay-worker.ts', {});
    await waitFor(async () => ((await replays.dataset(job.id)).parts.length >= 2 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'the first worker to write parts',
    });
    worker.child.kill('SIGKILL');
    expect(await worker.exit).toEqual({ code: null, signal: 'SIGKILL' });

    app.get(ReplayRunner).start();
    await waitFor<ReplayJobView>(
      async () => {
        const view = await replays.get(job.id);
        return view.state === 'completed' ? view : undefined;
      },
      { timeoutMs: 90_000, description: 'the second worker to finish the export' },
    );
    const dataset = await replays.dataset(job.id);
    expect(dataset).toMatchObject({ state: 'complete', rowCount: 300 });
    expect(dataset.schema.map((column) => `${column.name}:${column.type}`)).toEqual([
      'gyre_event_id:string',
      'gyre_key:string',
      'gyre_event_time:timestamp',
      'gyre_publish_time:timestamp',
      'gyre_properties:string',
      'amount:double',
      'count:int64',
      'user:string',
    ]);

    const storage = new S3Storage(app.get(GyreConfig).s3);
    const listed = await createS3Client(app.get(GyreConfig).s3).send(
      new ListObjectsV2Command({ Bucket: dataset.bucket, Prefix: `${dataset.prefix}/` }),
    );
    // No part a dead worker wrote past its checkpoint is left beside the manifest's (S3Proxy also
    // lists its folder markers, which end in a slash).
    const objects = (listed.Contents ?? []).map((object) => object.Key!).filter((key) => !key.endsWith('/'));
    expect(objects.sort()).toEqual(dataset.parts.map((part) => part.key).sort());
    const rows = [];
    for (const part of dataset.parts) {
      const bytes = await storage.getObject(dataset.bucket, part.key);
      expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
      expect(Number(parquetMetadata(bytes).num_rows)).toBe(part.rowCount);
      rows.push(...(await decodeParquetDataset(bytes, dataset.schema)));
    }
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((row) => row.gyre_event_id)).size).toBe(300);
    const exported = rows
      .map(
        (row) =>
          `${row.gyre_key}|${row.user}|${row.amount}|${row.count}|${row.gyre_event_time}|${row.gyre_properties}`,
      )
      .sort();
    const expected = sent
      .map(
        (event) =>
          `${event.key}|${event.payload.user}|${event.payload.amount}|${event.payload.count}|${1_700_000_000_000 + event.payload.count}|${JSON.stringify(event.properties)}`,
      )
      .sort();
    expect(exported).toEqual(expected);
    storage.onModuleDestroy();
  });
});
