import { EVENT_PROPERTIES } from '@gyre/streams';
import { waitFor } from '../../../tools/testing';
import { deriveOutputId, HandlerError, StageHandler, StageMetrics, StageRunner } from '../src';
import { collect, countById, publishEvents, testStage, useStageFixture } from '../../../tools/testing/stages';

const expectedOutputId = (n: number, stage = 'stage') =>
  deriveOutputId({ inputId: `evt-${n}`, pipeline: 'it', stage, epoch: '', stream: 'out', part: '0' });

describe(StageRunner.name, () => {
  const fixture = useStageFixture();

  /** A runner over fresh streams `<prefix>-in` and `<prefix>-out` of the test namespace. */
  const runner = (
    prefix: string,
    handler: StageHandler,
    stage: Parameters<typeof testStage>[0] = {},
    metrics?: StageMetrics,
  ) => fixture.runner({ prefix, handler, stage: testStage(stage), metrics });

  const doubler: StageHandler<{ n: number }> = {
    name: 'double',
    handle: async (event) => [{ stream: 'out', payload: { doubled: event.payload.n * 2 } }],
  };

  it('handles every event and publishes one output each, with the id derived from the input, stage and epoch', async () => {
    const metrics = new StageMetrics('it', 'stage');
    const stage = runner('process', doubler, { concurrency: 4 }, metrics);
    const outputs = await collect(fixture.client, fixture.namespace.topic('process-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('process-in'), 50);

    await stage.start();

    const counts = await waitFor(
      () => countById(outputs.messages).size === 50 && countById(outputs.messages),
      {
        description: '50 distinct outputs',
      },
    );
    expect([...counts.keys()].sort()).toEqual(
      Array.from({ length: 50 }, (_, n) => expectedOutputId(n)).sort(),
    );
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const byParent = new Map(outputs.messages.map((m) => [m.getProperties()[EVENT_PROPERTIES.parentId], m]));
    expect(JSON.parse(byParent.get('evt-7')!.getData().toString())).toEqual({ doubled: 14 });
    await waitFor(() => metrics.processed === 50, { description: '50 events acked' });
    expect(metrics.snapshot()).toMatchObject({ processed: 50, retried: 0, deadLettered: 0, inFlight: 0 });
    expect(metrics.snapshot().latency.count).toBe(50);
  });

  it('retries a handler that fails twice with growing backoff, then publishes and acks once it succeeds', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const flaky: StageHandler = {
      name: 'flaky',
      handle: async (event, context) => {
        attempts.push({ attempt: context.attempt, at: Date.now() });
        if (context.attempt <= 2) throw new Error('model server busy');
        return [{ stream: 'out', payload: event.payload }];
      },
    };
    const metrics = new StageMetrics('it', 'stage');
    const stage = runner(
      'flaky',
      flaky,
      { retry: { maxAttempts: 5, initialBackoffMs: 300, maxBackoffMs: 5000 } },
      metrics,
    );
    const outputs = await collect(fixture.client, fixture.namespace.topic('flaky-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('flaky-in'), 1);

    await stage.start();

    await waitFor(() => metrics.processed === 1, { description: 'the event to be acked' });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const gaps = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(300);
    expect(gaps[1]).toBeGreaterThanOrEqual(600);
    expect(metrics.snapshot()).toMatchObject({ processed: 1, retried: 2, deadLettered: 0 });
    await waitFor(() => outputs.messages.length === 1, { description: 'the output' });
    expect(outputs.messages[0].getProperties()[EVENT_PROPERTIES.eventId]).toBe(expectedOutputId(0));
  });

  it('retries and dead-letters only the failing event of a batch entry; its siblings are handled and output once', async () => {
    const calls = new Map<number, number[]>();
    const failsOnFour: StageHandler<{ n: number }> = {
      name: 'fails-on-four',
      handle: async (event, context) => {
        calls.set(event.payload.n, [...(calls.get(event.payload.n) ?? []), context.attempt]);
        if (event.payload.n === 4) throw new Error('model server rejected the event');
        return [{ stream: 'out', payload: event.payload }];
      },
    };
    const metrics = new StageMetrics('it', 'stage');
    const stage = runner(
      'entry',
      failsOnFour,
      { concurrency: 4, retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 } },
      metrics,
    );
    const dead = await collect(fixture.client, stage.deadLetterTopic);
    const outputs = await collect(fixture.client, fixture.namespace.topic('entry-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('entry-in'), 10, undefined, {
      oneEntry: true,
    });

    await stage.start();

    await waitFor(() => dead.messages.length > 0 && metrics.processed === 9, {
      description: 'nine events acked and one dead letter',
    });
    expect(calls.get(4)).toEqual([1, 2, 3]);
    for (const n of [0, 1, 2, 3, 5, 6, 7, 8, 9]) expect(calls.get(n)).toEqual([1]);
    expect(dead.messages.map((letter) => JSON.parse(letter.getData().toString()))).toEqual([{ n: 4 }]);
    const counts = await waitFor(() => outputs.messages.length >= 9 && countById(outputs.messages), {
      description: 'nine outputs',
    });
    expect([...counts.keys()].sort()).toEqual(
      [0, 1, 2, 3, 5, 6, 7, 8, 9].map((n) => expectedOutputId(n)).sort(),
    );
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(metrics.snapshot()).toMatchObject({ processed: 9, retried: 2, deadLettered: 1 });
  });

  it('sends an event whose handler always fails to the dead-letter topic after maxAttempts, with the reason, and moves on', async () => {
    const seen: number[] = [];
    const poisoned: StageHandler<{ n: number }> = {
      name: 'poisoned',
      handle: async (event, context) => {
        if (event.payload.n === 0) {
          seen.push(context.attempt);
          throw new HandlerError('FEATURE_MISSING', 'merchant risk is missing');
        }
        return [{ stream: 'out', payload: event.payload }];
      },
    };
    const metrics = new StageMetrics('it', 'stage');
    const stage = runner(
      'poison',
      poisoned,
      { retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 } },
      metrics,
    );
    const dead = await collect(fixture.client, stage.deadLetterTopic);
    const outputs = await collect(fixture.client, fixture.namespace.topic('poison-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('poison-in'), 3);

    await stage.start();

    const [letter] = await waitFor(() => dead.messages.length > 0 && dead.messages, {
      description: 'a dead letter',
    });
    expect(stage.deadLetterTopic).toBe(`${fixture.namespace.topic('poison-in')}-it.stage-DLQ`);
    expect(seen).toEqual([1, 2, 3]);
    expect(JSON.parse(letter.getData().toString())).toEqual({ n: 0 });
    expect(letter.getProperties()).toMatchObject({
      [EVENT_PROPERTIES.eventId]: 'evt-0',
      [EVENT_PROPERTIES.failureCode]: 'FEATURE_MISSING',
      [EVENT_PROPERTIES.failureReason]: 'FEATURE_MISSING: merchant risk is missing',
      [EVENT_PROPERTIES.attempts]: '3',
      [EVENT_PROPERTIES.stage]: 'it/stage',
      REAL_TOPIC: fixture.namespace.topic('poison-in'),
    });
    await waitFor(() => metrics.deadLettered === 1 && metrics.processed === 2, {
      description: 'the queue to move on',
    });
    expect(countById(outputs.messages).size).toBe(2);
    expect(dead.messages).toHaveLength(1);
  });

  it('dead-letters at once an event the handler rejects as not retriable', async () => {
    const attempts: number[] = [];
    const strict: StageHandler = {
      name: 'strict',
      handle: async (_event, context) => {
        attempts.push(context.attempt);
        throw new HandlerError('NEGATIVE_AMOUNT', 'amount is negative', { retriable: false });
      },
    };
    const stage = runner('strict', strict, {
      retry: { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    const dead = await collect(fixture.client, stage.deadLetterTopic);
    await publishEvents(fixture.client, fixture.namespace.topic('strict-in'), 1);

    await stage.start();

    const [letter] = await waitFor(() => dead.messages.length > 0 && dead.messages, {
      description: 'a dead letter',
    });
    expect(attempts).toEqual([1]);
    expect(letter.getProperties()[EVENT_PROPERTIES.attempts]).toBe('1');
  });

  it('splits a Shared subscription between two runners, which together handle every event exactly once in effect', async () => {
    const handledBy = new Map<string, Set<string>>();
    const tagging = (worker: string): StageHandler => ({
      name: `tag-${worker}`,
      handle: async (event) => {
        handledBy.set(worker, (handledBy.get(worker) ?? new Set()).add(event.id));
        await new Promise((resolve) => setImmediate(resolve));
        return [{ stream: 'out', payload: event.payload }];
      },
    });
    const first = runner('split', tagging('a'), { concurrency: 2 });
    const second = runner('split', tagging('b'), { concurrency: 2 });
    const outputs = await collect(fixture.client, fixture.namespace.topic('split-out'));
    await first.start();
    await second.start();

    await publishEvents(fixture.client, fixture.namespace.topic('split-in'), 200);

    const counts = await waitFor(
      () => countById(outputs.messages).size === 200 && countById(outputs.messages),
      {
        description: '200 distinct outputs',
      },
    );
    expect([...counts.keys()].sort()).toEqual(
      Array.from({ length: 200 }, (_, n) => expectedOutputId(n)).sort(),
    );
    expect(handledBy.get('a')?.size).toBeGreaterThan(0);
    expect(handledBy.get('b')?.size).toBeGreaterThan(0);
    expect(new Set([...handledBy.get('a')!, ...handledBy.get('b')!]).size).toBe(200);
  });

  it('drains: stops receiving, finishes the in-flight events (publish and ack), then closes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const gated: StageHandler = {
      name: 'gated',
      handle: async (event) => {
        started.push(event.id);
        await gate;
        return [{ stream: 'out', payload: event.payload }];
      },
    };
    const metrics = new StageMetrics('it', 'stage');
    const stage = runner('drain', gated, { concurrency: 3 }, metrics);
    const outputs = await collect(fixture.client, fixture.namespace.topic('drain-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('drain-in'), 10);
    await stage.start();
    await waitFor(() => started.length === 3, { description: 'three events in flight' });

    const drained = stage.drain(10_000);
    release();
    await drained;

    expect(stage.status.state).toBe('closed');
    expect(started).toHaveLength(3);
    expect(metrics.processed).toBe(3);
    await waitFor(() => outputs.messages.length === 3, { description: 'the three outputs' });

    // The next runner on the subscription gets the seven left, and none of the three again: they were acked.
    const next = runner('drain', doubler);
    await next.start();
    const counts = await waitFor(
      () => countById(outputs.messages).size === 10 && countById(outputs.messages),
      {
        description: 'the other seven handled by the next runner',
      },
    );
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });
});
