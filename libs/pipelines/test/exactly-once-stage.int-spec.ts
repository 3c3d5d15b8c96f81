import { EVENT_PROPERTIES } from '@gyre/streams';
import { uniqueName, waitFor } from '../../../tools/testing';
import { StageHandler, StageMetrics } from '../src';
import { collect, countById, publishEvents, testStage, useStageFixture } from '../../../tools/testing/stages';

describe('A stage with delivery exactly-once', () => {
  const fixture = useStageFixture();

  function runner(prefix: string, handler: StageHandler, stage: Parameters<typeof testStage>[0]) {
    const metrics = new StageMetrics('it', 'stage');
    const stageDefinition = testStage({ delivery: 'exactly-once', transactionTimeoutMs: 20_000, ...stage });
    return { runner: fixture.runner({ prefix, handler, stage: stageDefinition, metrics }), metrics };
  }

  /** Everything on `topic` up to a marker published now, by event id: what any consumer will ever see there. */
  async function readToEnd(topic: string, property: string = EVENT_PROPERTIES.eventId) {
    const { messages, consumer } = await collect(fixture.client, topic);
    const marker = uniqueName('end');
    const producer = await fixture.client.createProducer({ topic });
    await producer.send({ data: Buffer.from('{}'), properties: { [EVENT_PROPERTIES.eventId]: marker } });
    await producer.close();
    await waitFor(() => countById(messages).has(marker), { description: `the marker on ${topic}` });
    await consumer.close();
    const counts = new Map<string, number>();
    for (const message of messages) {
      const id = message.getProperties()[property];
      if (message.getProperties()[EVENT_PROPERTIES.eventId] !== marker)
        counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  it('publishes none of the outputs of a handling that fails half-way through its sends', async () => {
    // evt-7's second output is over the broker's size limit: its first output must not become visible.
    const halfway: StageHandler<{ n: number }> = {
      name: 'halfway',
      handle: async (event) => [
        { stream: 'out', payload: { n: event.payload.n } },
        { stream: 'audit', payload: { pad: event.payload.n === 7 ? 'x'.repeat(6 * 1024 * 1024) : '' } },
      ],
    };
    const { runner: stage, metrics } = runner('halfway', halfway, {
      outputs: ['out', 'audit'],
      batchSize: 4,
      retry: { maxAttempts: 2, initialBackoffMs: 100, maxBackoffMs: 200, multiplier: 2 },
    });
    await publishEvents(fixture.client, fixture.namespace.topic('halfway-in'), 20);
    await stage.start();
    await waitFor(() => metrics.processed === 19 && metrics.deadLettered === 1, {
      timeoutMs: 120_000,
      description: '19 events processed and evt-7 dead-lettered',
    });

    const expected = Array.from({ length: 20 }, (_, n) => `evt-${n}`).filter((id) => id !== 'evt-7');
    for (const stream of ['out', 'audit']) {
      // By the input each output came from: every input but evt-7, once.
      const byParent = await readToEnd(
        fixture.namespace.topic(`halfway-${stream}`),
        EVENT_PROPERTIES.parentId,
      );
      expect([...byParent.keys()].sort()).toEqual(expected.sort());
      expect([...byParent.values()].every((count) => count === 1)).toBe(true);
    }
    const letters = await readToEnd(stage.deadLetterTopic);
    expect([...letters.entries()]).toEqual([['evt-7', 1]]);
  });

  it('on Key_Shared, holds a failing event and the rest of its batch, then commits every output once', async () => {
    let failuresLeft = 2;
    const seen: number[] = [];
    const keyed: StageHandler<{ n: number }> = {
      name: 'keyed',
      handle: async (event) => {
        if (event.payload.n === 5 && failuresLeft-- > 0) throw new Error('transient');
        seen.push(event.payload.n);
        return [{ stream: 'out', payload: { n: event.payload.n } }];
      },
    };
    const { runner: stage, metrics } = runner('keyed', keyed, {
      batchSize: 8,
      input: { subscriptionType: 'Key_Shared' },
      retry: { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 200, multiplier: 2 },
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic('keyed-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('keyed-in'), 30, (n) => `card-${n % 3}`);
    await stage.start();
    await waitFor(() => metrics.processed === 30, { timeoutMs: 120_000, description: '30 events processed' });

    const counts = await readToEnd(fixture.namespace.topic('keyed-out'));
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // Per key, outputs are in input order: the held key did not let its later events overtake.
    const order = (key: number) =>
      outputs.messages
        .map((m) => (JSON.parse(m.getData().toString()) as { n: number }).n)
        .filter((n) => n % 3 === key);
    await waitFor(() => outputs.messages.length >= 30, { description: 'the collector saw every output' });
    for (const key of [0, 1, 2]) expect(order(key)).toEqual([...order(key)].sort((a, b) => a - b));
    expect(metrics.retried).toBeGreaterThan(0);
    expect(seen.filter((n) => n === 5).length).toBe(1);
  });
});
