import { ReplayRunner } from '@gyre/replay';
import { readAllText, uniqueName, waitFor } from '../../../tools/testing';
import { ReplayTestWorld } from './replay-test-world';

describe('a replay that starts at a timestamp', () => {
  const world = new ReplayTestWorld();
  beforeAll(async () => {
    await world.start();
    world.app.get(ReplayRunner).start();
  });
  afterAll(() => world.stop());

  async function publish(topic: string, round: string, count: number): Promise<string[]> {
    const producer = await world.client.createProducer({ topic, batchingMaxPublishDelayMs: 5 });
    const sent = Array.from({ length: count }, (_, i) => JSON.stringify({ round, i }));
    await Promise.all(
      sent.map((data, i) => producer.send({ data: Buffer.from(data), partitionKey: `k-${i % 5}` })),
    );
    await producer.close();
    return sent;
  }

  it('seeks each partition to the first message published at or after it and reads nothing older', async () => {
    const source = await world.createStream('it-ts-src', 2);
    await publish(source.topic, 'old', 400);
    const cut = Date.now() + 1;
    await waitFor(async () => (Date.now() > cut ? true : undefined), {
      description: 'the clock to pass the cut',
    });
    const recent = await publish(source.topic, 'new', 30);
    const target = uniqueName('it-ts-dst');
    const job = await world.replays.create(
      {
        source: source.name,
        start: { kind: 'timestamp', timestamp: cut },
        end: { kind: 'lastAtStart' },
        target: { kind: 'stream', stream: target },
      },
      'it',
    );
    // The start is a position now, found by the broker: the readers begin there, not at the earliest message.
    expect(job.partitions.every((partition) => partition.startId !== null)).toBe(true);
    const done = await world.waitForJob(job.id, (view) => view.state === 'completed', {
      timeoutMs: 60_000,
      description: 'the replay to complete',
    });

    expect(done.events).toBe(30);
    expect(done.scanned).toBe(30);
    const replayed = await readAllText(world.client, source.topic.replace(source.name, target));
    expect(replayed.sort()).toEqual([...recent].sort());
  });

  it('has nothing to read on a partition where every message is older than the start', async () => {
    const source = await world.createStream('it-ts-src', 1);
    await publish(source.topic, 'old', 20);

    const job = await world.replays.create(
      {
        source: source.name,
        start: { kind: 'timestamp', timestamp: Date.now() + 60_000 },
        end: { kind: 'lastAtStart' },
        target: { kind: 'stream', stream: uniqueName('it-ts-dst') },
      },
      'it',
    );

    expect(job.partitions).toEqual([expect.objectContaining({ done: true, estimated: 0 })]);
  });
});
