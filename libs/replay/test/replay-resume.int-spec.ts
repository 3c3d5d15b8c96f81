import type { INestApplicationContext } from '@nestjs/common';
import { Client, MessageId } from '@gyre/pulsar';
import { ReplayJobView, ReplayRunner, ReplayService } from '@gyre/replay';
import { StreamCatalog } from '@gyre/streams';
import { AppProcess, startApp, testEndpoints, uniqueName, waitFor } from '../../../tools/testing';
import { createReplayTestApp } from './replay-test-app';

const endpoints = testEndpoints();
const SCHEMA = { type: 'object' };

async function readAll(client: Client, topic: string) {
  const read: Array<{ key?: string; data: Buffer; properties: Record<string, string> }> = [];
  for (const partition of await client.getPartitionsForTopic(topic)) {
    const reader = await client.createReader({ topic: partition, startMessageId: MessageId.earliest() });
    while (await reader.hasMessageAvailable()) {
      const message = await reader.readNext(10_000);
      read.push({
        key: message.getPartitionKey(),
        data: message.getData(),
        properties: message.getProperties(),
      });
    }
    await reader.close();
  }
  return read;
}

describe('a replay whose worker dies mid-job', () => {
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

  it('is resumed by another worker from its checkpoints, and the target ends with exactly the source events', async () => {
    const catalog = app.get(StreamCatalog);
    const source = await catalog.create(
      { name: uniqueName('it-resume-src'), ownerTeam: 'ml', partitions: 2, schema: SCHEMA },
      'it',
    );
    const producer = await client.createProducer({ topic: source.topic });
    const sent = Array.from({ length: 300 }, (_, i) => ({
      key: `k-${i % 7}`,
      data: Buffer.from(JSON.stringify({ i })),
    }));
    await Promise.all(sent.map((event) => producer.send({ data: event.data, partitionKey: event.key })));
    await producer.close();
    const target = uniqueName('it-resume-dst');
    const replays = app.get(ReplayService);
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

    worker = startApp('libs/replay/test/fixtures/replay-worker.ts', {});
    const progressed = await waitFor(
      async () => {
        const view = await replays.get(job.id);
        return view.events >= 60 ? view : undefined;
      },
      { timeoutMs: 60_000, description: 'the first worker to checkpoint progress' },
    );
    worker.child.kill('SIGKILL');
    expect(await worker.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(progressed.events).toBeLessThan(300);

    app.get(ReplayRunner).start();
    const done = await waitFor<ReplayJobView>(
      async () => {
        const view = await replays.get(job.id);
        return view.state === 'completed' ? view : undefined;
      },
      { timeoutMs: 90_000, description: 'the second worker to finish the replay' },
    );

    expect(done.claims).toBeGreaterThanOrEqual(2);
    expect(done.events).toBe(300);
    const replayed = await readAll(client, `${source.topic.replace(source.name, target)}`);
    expect(replayed).toHaveLength(300);
    expect(new Set(replayed.map((event) => event.properties['gyre-event-id'])).size).toBe(300);
    const sorted = (events: Array<{ key?: string; data: Buffer }>) =>
      events.map((event) => `${event.key}|${event.data.toString('hex')}`).sort();
    expect(sorted(replayed)).toEqual(sorted(sent));
  });
});
