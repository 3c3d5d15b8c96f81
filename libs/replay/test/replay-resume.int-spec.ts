import { ReplayRunner } from '@gyre/replay';
import { readAll, uniqueName } from '../../../tools/testing';
import { ReplayTestWorld } from './replay-test-world';

describe('a replay whose worker dies mid-job', () => {
  const world = new ReplayTestWorld();
  beforeAll(() => world.start());
  afterAll(() => world.stop());

  it('is resumed by another worker from its checkpoints, and the target ends with exactly the source events', async () => {
    const { app, client, replays } = world;
    const source = await world.createStream('it-resume-src', 2);
    const producer = await client.createProducer({ topic: source.topic });
    const sent = Array.from({ length: 300 }, (_, i) => ({
      key: `k-${i % 7}`,
      data: Buffer.from(JSON.stringify({ i })),
    }));
    await Promise.all(sent.map((event) => producer.send({ data: event.data, partitionKey: event.key })));
    await producer.close();
    const target = uniqueName('it-resume-dst');
    const job = await replays.create(
      {
        source: source.name,
        start: { kind: 'earliest' },
        end: { kind: 'lastAtStart' },
        target: { kind: 'stream', stream: target },
        rateLimitPerSecond: 100,
      },
      'it',
    );

    world.startWorker();
    const progressed = await world.waitForJob(job.id, (view) => view.events >= 60, {
      timeoutMs: 60_000,
      description: 'the first worker to checkpoint progress',
    });
    expect(await world.killWorker()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(progressed.events).toBeLessThan(300);

    app.get(ReplayRunner).start();
    const done = await world.waitForJob(job.id, (view) => view.state === 'completed', {
      timeoutMs: 90_000,
      description: 'the second worker to finish the replay',
    });

    expect(done.claims).toBeGreaterThanOrEqual(2);
    expect(done.events).toBe(300);
    const replayed = await readAll(client, source.topic.replace(source.name, target));
    expect(replayed).toHaveLength(300);
    expect(new Set(replayed.map((message) => message.getProperties()['gyre-event-id'])).size).toBe(300);
    expect(
      replayed
        .map(
          (message) =>
            `${message.hasPartitionKey() ? message.getPartitionKey() : undefined}|${message.getData().toString('hex')}`,
        )
        .sort(),
    ).toEqual(sent.map((event) => `${event.key}|${event.data.toString('hex')}`).sort());
  });
});
