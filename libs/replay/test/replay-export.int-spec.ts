import { GyreConfig } from '@gyre/config';
import { ReplayRunner } from '@gyre/replay';
import { createS3Client, decodeParquetDataset, S3Storage } from '@gyre/storage';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parquetMetadata } from 'hyparquet';
import { waitFor } from '../../../tools/testing';
import { ReplayTestWorld } from './replay-test-world';
const SCHEMA = {
  type: 'object',
  properties: { user: { type: 'string' }, amount: { type: 'number' }, count: { type: 'integer' } },
};

describe('a Parquet export whose worker dies mid-job', () => {
  const world = new ReplayTestWorld();
  beforeAll(() => world.start());
  afterAll(() => world.stop());

  it('is resumed into parts that hold every event exactly once, typed from the schema and readable as standard Parquet', async () => {
    const { app, client, replays } = world;
    const source = await world.createStream('it-export-src', 2, SCHEMA);
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

    world.startWorker();
    await waitFor(async () => ((await replays.dataset(job.id)).parts.length >= 2 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'the first worker to write parts',
    });
    expect(await world.killWorker()).toEqual({ code: null, signal: 'SIGKILL' });

    app.get(ReplayRunner).start();
    await world.waitForJob(job.id, (view) => view.state === 'completed', {
      timeoutMs: 90_000,
      description: 'the second worker to finish the export',
    });
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
