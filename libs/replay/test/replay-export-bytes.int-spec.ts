import type { INestApplicationContext } from '@nestjs/common';
import { Client } from '@gyre/pulsar';
import { ReplayJobView, ReplayRunner, ReplayService } from '@gyre/replay';
import { StreamCatalog } from '@gyre/streams';
import { testEndpoints, uniqueName, waitFor } from '../../../tools/testing';
import { createReplayTestApp } from './replay-test-app';

const endpoints = testEndpoints();

describe('a Parquet export of a stream holding bytes that are not UTF-8 JSON', () => {
  let app: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    app = await createReplayTestApp();
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
  });
  afterAll(async () => {
    await app?.get(ReplayRunner).stop();
    await client?.close();
    await app?.close();
  });

  it('fails the job with replay-export-mismatch instead of writing the bytes lossily', async () => {
    const source = await app
      .get(StreamCatalog)
      .create(
        { name: uniqueName('it-export-bytes'), ownerTeam: 'ml', partitions: 1, schema: { type: 'object' } },
        'it',
      );
    const producer = await client.createProducer({ topic: source.topic });
    await producer.send({ data: Buffer.from('{"id":9007199254740993}') });
    await producer.send({ data: Buffer.from([0x22, 0xff, 0x22]) });
    await producer.close();
    const replays = app.get(ReplayService);
    const job = await replays.create(
      {
        source: source.name,
        start: { kind: 'earliest' },
        end: { kind: 'lastAtStart' },
        target: { kind: 'datasetExport', dataset: `it/${source.name}` },
      },
      'it',
    );

    app.get(ReplayRunner).start();
    const failed = await waitFor<ReplayJobView>(
      async () => {
        const view = await replays.get(job.id);
        return view.state === 'failed' || view.state === 'completed' ? view : undefined;
      },
      { timeoutMs: 90_000, description: 'the export job to end' },
    );

    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({
      code: 'REPLAY_EXPORT_MISMATCH',
      message: expect.stringContaining('(3 bytes) is not valid UTF-8 JSON'),
    });
    expect((await replays.dataset(job.id)).state).not.toBe('complete');
  });
});
