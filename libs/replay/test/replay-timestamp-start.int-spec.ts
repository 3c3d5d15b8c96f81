import type { INestApplicationContext } from '@nestjs/common';
import { Client, MessageId } from '@gyre/pulsar';
import { ReplayJobView, ReplayRunner, ReplayService } from '@gyre/replay';
import { StreamCatalog } from '@gyre/streams';
import { testEndpoints, uniqueName, waitFor } from '../../../tools/testing';
import { createReplayTestApp } from './replay-test-app';

const endpoints = testEndpoints();

describe('a replay that starts at a timestamp', () => {
  let app: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    app = await createReplayTestApp();
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
    app.get(ReplayRunner).start();
  });
  afterAll(async () => {
    await app?.get(ReplayRunner).stop();
    await client?.close();
    await app?.close();
  });

  async function publish(topic: string, round: string, count: number): Promise<string[]> {
    const producer = await client.createProducer({ topic, batchingMaxPublishDelayMs: 5 });
    const sent = Array.from({ length: count }, (_, i) => JSON.stringify({ round, i }));
    await Promise.all(
      sent.map((data, i) => producer.send({ data: Buffer.from(data), partitionKey: `k-${i % 5}` })),
    );
    await producer.close();
    return sent;
  }

  it('seeks each partition to the first message published at or after it and reads nothing older', async () => {
    const source = await app
      .get(StreamCatalog)
      .create(
        { name: uniqueName('it-ts-src'), ownerTeam: 'ml', partitions: 2, schema: { type: 'object' } },
        'it',
      );
    await publish(source.topic, 'old', 400);
    const cut = Date.now() + 1;
    await waitFor(async () => (Date.now() > cut ? true : undefined), {
      description: 'the clock to pass the cut',
    });
    const recent = await publish(source.topic, 'new', 30);
    const target = uniqueName('it-ts-dst');
    const replays = app.get(ReplayService);

    const job = await replays.create(
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
    const done = await waitFor<ReplayJobView>(
      async () => {
        const view = await replays.get(job.id);
        return view.state === 'completed' ? view : undefined;
      },
      { timeoutMs: 60_000, description: 'the replay to complete' },
    );

    expect(done.events).toBe(30);
    expect(done.scanned).toBe(30);
    const replayed: string[] = [];
    for (const partition of await client.getPartitionsForTopic(source.topic.replace(source.name, target))) {
      const reader = await client.createReader({ topic: partition, startMessageId: MessageId.earliest() });
      while (await reader.hasMessageAvailable())
        replayed.push((await reader.readNext(10_000)).getData().toString());
      await reader.close();
    }
    expect(replayed.sort()).toEqual([...recent].sort());
  });

  it('has nothing to read on a partition where every message is older than the start', async () => {
    const source = await app
      .get(StreamCatalog)
      .create(
        { name: uniqueName('it-ts-src'), ownerTeam: 'ml', partitions: 1, schema: { type: 'object' } },
        'it',
      );
    await publish(source.topic, 'old', 20);

    const job = await app.get(ReplayService).create(
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
