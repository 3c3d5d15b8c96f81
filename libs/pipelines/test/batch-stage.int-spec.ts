import { EVENT_PROPERTIES } from '@gyre/streams';
import { uniqueName, waitFor } from '../../../tools/testing';
import { BatchStageHandler, HandlerError, StageMetrics, StageRunner } from '../src';
import { collect, countById, publishEvents, testStage, useStageFixture } from '../../../tools/testing/stages';

describe(`${StageRunner.name} with a batch handler`, () => {
  const fixture = useStageFixture();

  function runner(prefix: string, handler: BatchStageHandler, stage: Parameters<typeof testStage>[0]) {
    const metrics = new StageMetrics('it', 'stage');
    return { runner: fixture.runner({ prefix, handler, stage: testStage(stage), metrics }), metrics };
  }

  it('hands the handler up to batchSize events at once and acks each once its outputs are receipted', async () => {
    const prefix = uniqueName('batch');
    const sizes: number[] = [];
    const scorer: BatchStageHandler<{ n: number }> = {
      name: 'score',
      handleBatch: async (events) => {
        sizes.push(events.length);
        return events.map((event) => [{ stream: 'out', payload: { score: event.payload.n / 1000 } }]);
      },
    };
    const { runner: stage, metrics } = runner(prefix, scorer, {
      batchSize: 25,
      batchMaxWaitMs: 50,
      concurrency: 2,
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    await publishEvents(fixture.client, fixture.namespace.topic(`${prefix}-in`), 400);

    await stage.start();

    await waitFor(() => metrics.processed === 400, { timeoutMs: 60_000, description: '400 events acked' });
    expect(Math.max(...sizes)).toBe(25);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(400);
    await waitFor(() => countById(outputs.messages).size === 400, { description: '400 distinct outputs' });
    expect(metrics.snapshot()).toMatchObject({ retried: 0, deadLettered: 0 });
    // One handler-latency observation per batch, not per event.
    expect(metrics.snapshot().latency.count).toBe(sizes.length);
  });

  it('acks the events of a batch that succeeded, retries the failed ones one by one and dead-letters a non-retriable one', async () => {
    const prefix = uniqueName('partial');
    const handled = new Map<string, number>();
    const partial: BatchStageHandler<{ n: number }> = {
      name: 'partial',
      handleBatch: async (events, context) =>
        events.map((event) => {
          handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
          if (event.payload.n === 7)
            return new HandlerError('NEGATIVE_AMOUNT', 'amount is negative', { retriable: false });
          if (event.payload.n % 10 === 3 && context.attempt === 1) return new Error('model server busy');
          return [{ stream: 'out', payload: event.payload }];
        }),
    };
    const { runner: stage, metrics } = runner(prefix, partial, {
      batchSize: 10,
      batchMaxWaitMs: 50,
      retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    const dead = await collect(fixture.client, stage.deadLetterTopic);
    await publishEvents(fixture.client, fixture.namespace.topic(`${prefix}-in`), 50);

    await stage.start();

    await waitFor(() => metrics.processed === 49 && metrics.deadLettered === 1, {
      timeoutMs: 60_000,
      description: '49 events acked and one dead-lettered',
    });
    const retried = [3, 13, 23, 33, 43].map((n) => `evt-${n}`);
    expect(
      [...handled]
        .filter(([, times]) => times > 1)
        .map(([id]) => id)
        .sort(),
    ).toEqual(retried.sort());
    expect([...handled.values()].filter((times) => times === 1)).toHaveLength(45);
    expect(metrics.retried).toBe(5);
    await waitFor(() => countById(outputs.messages).size === 49, { description: '49 distinct outputs' });
    await waitFor(() => dead.messages.length === 1, { description: 'the dead letter' });
    expect(dead.messages[0].getProperties()).toMatchObject({
      [EVENT_PROPERTIES.eventId]: 'evt-7',
      [EVENT_PROPERTIES.failureCode]: 'NEGATIVE_AMOUNT',
      [EVENT_PROPERTIES.attempts]: '1',
    });
  });

  it('retries every event of a batch whose handler throws, and publishes nothing for it', async () => {
    const prefix = uniqueName('throwing');
    let calls = 0;
    const throwing: BatchStageHandler<{ n: number }> = {
      name: 'throwing',
      handleBatch: async (events) => {
        calls += 1;
        if (calls === 1) throw new Error('model server unreachable');
        return events.map((event) => [{ stream: 'out', payload: event.payload }]);
      },
    };
    const { runner: stage, metrics } = runner(prefix, throwing, {
      batchSize: 20,
      batchMaxWaitMs: 200,
      concurrency: 1,
      retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    await publishEvents(fixture.client, fixture.namespace.topic(`${prefix}-in`), 20);

    await stage.start();

    await waitFor(() => metrics.processed === 20, { timeoutMs: 60_000, description: '20 events acked' });
    expect(metrics.retried).toBeGreaterThan(0);
    expect(metrics.retried).toBeLessThanOrEqual(20);
    await waitFor(() => countById(outputs.messages).size === 20, { description: '20 distinct outputs' });
    expect(outputs.messages).toHaveLength(20);
  });

  it('on a Key_Shared stage, holds back a key’s later events behind one to retry, so each key settles in order', async () => {
    const prefix = uniqueName('keyed');
    let handlings = 0;
    const lastHandled = new Map<number, number>();
    const keyed: BatchStageHandler<{ n: number }> = {
      name: 'keyed',
      handleBatch: async (events, context) =>
        events.map((event) => {
          lastHandled.set(event.payload.n, (handlings += 1));
          if (event.payload.n % 20 === 3 && context.attempt === 1) return new Error('state store busy');
          return [{ stream: 'out', payload: event.payload }];
        }),
    };
    const { runner: stage, metrics } = runner(prefix, keyed, {
      input: { subscriptionType: 'Key_Shared' },
      batchSize: 16,
      batchMaxWaitMs: 50,
      concurrency: 2,
      retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    await publishEvents(fixture.client, fixture.namespace.topic(`${prefix}-in`), 100, (n) => `key-${n % 5}`);

    await stage.start();

    await waitFor(() => metrics.processed === 100, { timeoutMs: 60_000, description: '100 events acked' });
    // Every key's events were handled for the last time (the handling that was acked) in their order.
    for (let key = 0; key < 5; key++) {
      const ofKey = [...lastHandled].filter(([n]) => n % 5 === key);
      const bySettling = [...ofKey].sort((a, b) => a[1] - b[1]).map(([n]) => n);
      expect(bySettling).toEqual(ofKey.map(([n]) => n).sort((a, b) => a - b));
    }
    expect(metrics.retried).toBe(5);
    await waitFor(() => countById(outputs.messages).size === 100, { description: '100 distinct outputs' });
    expect(metrics.snapshot()).toMatchObject({ deadLettered: 0 });
  });

  it('on a Key_Shared stage, handles other keys while a key’s batch is in its handler, and that key’s later events after it', async () => {
    const prefix = uniqueName('keyed-free');
    const handled: number[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const keyed: BatchStageHandler<{ n: number }> = {
      name: 'keyed',
      handleBatch: async (events) => {
        if (events.some((event) => event.payload.n === 0)) await firstHeld;
        handled.push(...events.map((event) => event.payload.n));
        return events.map((event) => [{ stream: 'out', payload: event.payload }]);
      },
    };
    const { runner: stage, metrics } = runner(prefix, keyed, {
      input: { subscriptionType: 'Key_Shared' },
      batchSize: 2,
      batchMaxWaitMs: 50,
      concurrency: 2,
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    const producer = await fixture.client.createProducer({
      topic: fixture.namespace.topic(`${prefix}-in`),
      batchingEnabled: false,
    });
    const send = (n: number, key: string) =>
      producer.send({
        data: Buffer.from(JSON.stringify({ n })),
        partitionKey: key,
        properties: { [EVENT_PROPERTIES.eventId]: `evt-${n}` },
      });
    await stage.start();

    await send(0, 'a');
    await waitFor(() => metrics.inFlight === 1, { description: 'key a’s first event in its handler' });
    await Promise.all([send(1, 'a'), send(2, 'b')]);
    // Key b's event does not wait for key a's batch; key a's second event does.
    await waitFor(() => metrics.processed === 1, { description: 'key b’s event handled and acked' });
    expect(handled).toEqual([2]);
    releaseFirst();

    await waitFor(() => metrics.processed === 3, { description: '3 events acked' });
    expect(handled).toEqual([2, 0, 1]);
    await waitFor(() => outputs.messages.length === 3, { description: '3 outputs' });
    await producer.close();
  });

  it('sends a delivery’s outputs batched by key: one key per entry, each key’s outputs in input order', async () => {
    const prefix = uniqueName('batched-out');
    const passOn: BatchStageHandler<{ n: number }> = {
      name: 'pass-on',
      // No key of its own: each output takes its input's key.
      handleBatch: async (events) => events.map((event) => [{ stream: 'out', payload: event.payload }]),
    };
    const { runner: stage, metrics } = runner(prefix, passOn, {
      batchSize: 40,
      batchMaxWaitMs: 50,
      concurrency: 2,
      input: { subscriptionType: 'Key_Shared' },
    });
    const outputs = await collect(fixture.client, fixture.namespace.topic(`${prefix}-out`));
    await publishEvents(fixture.client, fixture.namespace.topic(`${prefix}-in`), 400, (n) => `card-${n % 4}`);

    await stage.start();

    await waitFor(() => countById(outputs.messages).size === 400, {
      timeoutMs: 60_000,
      description: '400 distinct outputs',
    });
    await waitFor(() => metrics.processed === 400, { description: '400 events acked' });
    const entries = new Map<string, Set<string | undefined>>();
    for (const message of outputs.messages) {
      const id = message.getMessageId();
      const entry = `${id.partition}:${id.entryKey()}`;
      entries.set(entry, (entries.get(entry) ?? new Set()).add(message.getPartitionKey()));
    }
    // A Key_Shared subscription dispatches a whole entry by its key: mixed keys would go to one consumer.
    expect([...entries.values()].filter((keys) => keys.size !== 1)).toEqual([]);
    // Batched: 400 outputs in far fewer entries than one each.
    expect(entries.size).toBeLessThan(200);
    const order = new Map<string, number[]>();
    for (const message of outputs.messages) {
      const key = message.getPartitionKey();
      order.set(key, [
        ...(order.get(key) ?? []),
        (JSON.parse(message.getData().toString()) as { n: number }).n,
      ]);
    }
    expect([...order.keys()].sort()).toEqual(['card-0', 'card-1', 'card-2', 'card-3']);
    for (const ns of order.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});
