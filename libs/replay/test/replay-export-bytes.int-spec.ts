import { ReplayRunner } from '@gyre/replay';
import { ReplayTestWorld } from './replay-test-world';

describe('a Parquet export of a stream holding bytes that are not UTF-8 JSON', () => {
  const world = new ReplayTestWorld();
  beforeAll(() => world.start());
  afterAll(() => world.stop());

  it('fails the job with replay-export-mismatch instead of writing the bytes lossily', async () => {
    const { app, client, replays } = world;
    const source = await world.createStream('it-export-bytes', 1);
    const producer = await client.createProducer({ topic: source.topic });
    await producer.send({ data: Buffer.from('{"id":9007199254740993}') });
    await producer.send({ data: Buffer.from([0x22, 0xff, 0x22]) });
    await producer.close();
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
    const failed = await world.waitForJob(
      job.id,
      (view) => view.state === 'failed' || view.state === 'completed',
      {
        timeoutMs: 90_000,
        description: 'the export job to end',
      },
    );

    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({
      code: 'REPLAY_EXPORT_MISMATCH',
      message: expect.stringContaining('(3 bytes) is not valid UTF-8 JSON'),
    });
    expect((await replays.dataset(job.id)).state).not.toBe('complete');
  });
});
