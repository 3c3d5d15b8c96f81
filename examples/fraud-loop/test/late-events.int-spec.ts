import { CardTransaction, Random } from '@gyre/ml';
import { DataSource } from 'typeorm';
import { uniqueName, waitFor } from '../../../tools/testing';
import { collect, useStageFixture } from '../../../tools/testing/stages';
import { StageMetrics } from '@gyre/pipelines';
import { FeaturesPayload, LoopStateStore, PrepareHandler } from '../src';
import { useLoopDatabase, prepareStage, publishTransactions, transactions } from './prepare-stage-fixtures';

const EVENTS = 600;
const SPACING_MS = 100;

/**
 * The scenario's transactions re-timed 100 ms apart in their order (about ten a second over ~24 cards), so
 * a card's neighbouring transactions are seconds apart: the disorder of requests in flight together.
 */
function retimed(seed: string): CardTransaction[] {
  const t0 = Date.UTC(2026, 0, 1);
  return transactions(seed, EVENTS)
    .slice(0, EVENTS)
    .map((transaction, index) => ({ ...transaction, timestamp: t0 + index * SPACING_MS }));
}

describe('prepare with events out of event-time order (allowedLatenessMs, real broker and Postgres)', () => {
  const fixture = useStageFixture();
  const loopDatabase = useLoopDatabase();
  let dataSource: DataSource;
  beforeAll(() => {
    dataSource = loopDatabase.dataSource;
  });

  /** Runs prepare over `arrivals` (published in that order) and returns every event's features, by event id. */
  async function prepareRun(arrivals: readonly CardTransaction[], allowedLatenessMs: number) {
    const pipeline = uniqueName('late');
    const prefix = uniqueName('late');
    const topicOf = fixture.topicOf(prefix);
    const stage = prepareStage({ allowedLatenessMs, batchSize: 16, batchMaxWaitMs: 20 });
    const metrics = new StageMetrics(pipeline, stage.name);
    const features = await collect(fixture.client, topicOf('features'));
    const dead = await collect(fixture.client, `${topicOf('transactions')}-${stage.input.subscription}-DLQ`);
    await publishTransactions(fixture.client, topicOf('transactions'), arrivals);
    const runner = fixture.runner({
      prefix,
      pipeline,
      stage,
      handler: new PrepareHandler(new LoopStateStore(dataSource)),
      metrics,
    });
    await runner.start();
    await waitFor(() => features.messages.length >= arrivals.length, {
      timeoutMs: 120_000,
      description: `features of all ${arrivals.length} transactions`,
    });
    const byId = new Map<string, FeaturesPayload>();
    for (const message of features.messages) {
      const payload = JSON.parse(message.getData().toString()) as FeaturesPayload;
      byId.set(payload.eventId, payload);
    }
    return { byId, metrics, dead: dead.messages, outputs: features.messages.length };
  }

  it('gives every transaction that comes behind its card, within the allowed lateness, its in-order features', async () => {
    const ordered = retimed('late-events-within');
    // Each sent up to 2 s late, at random: a card's transactions often arrive out of order (seeded).
    const random = new Random('late-events');
    const arrivals = ordered
      .map((transaction) => ({ transaction, arrival: transaction.timestamp + random.int(2_000) }))
      .sort((a, b) => a.arrival - b.arrival)
      .map(({ transaction }) => transaction);
    const behindItsCard = arrivals.filter((t, i) =>
      arrivals.slice(0, i).some((before) => before.cardId === t.cardId && before.timestamp > t.timestamp),
    );
    // Scored before an earlier transaction of its card arrived: it could not know it (nor be scored again).
    const scoredEarly = new Set(
      arrivals.filter((t, i) =>
        arrivals.slice(i + 1).some((after) => after.cardId === t.cardId && after.timestamp < t.timestamp),
      ),
    );

    const inOrder = await prepareRun(ordered, 5_000);
    const outOfOrder = await prepareRun(arrivals, 5_000);

    expect(behindItsCard.length).toBeGreaterThan(10);
    const exact = arrivals.filter((t) => !scoredEarly.has(t)).map((t) => t.eventId);
    expect(exact.map((id) => outOfOrder.byId.get(id))).toEqual(exact.map((id) => inOrder.byId.get(id)));
    expect(behindItsCard.map((t) => outOfOrder.byId.get(t.eventId)?.lateByMs)).toEqual(
      behindItsCard.map(() => undefined),
    );
    expect([outOfOrder.byId.size, outOfOrder.metrics.lateEvents, outOfOrder.dead.length]).toEqual([
      EVENTS,
      0,
      0,
    ]);
  }, 300_000);

  it('scores a transaction later than the allowed lateness, flags it with lateByMs and counts it', async () => {
    const ordered = retimed('late-events-beyond');
    // Each card's third transaction held back to the very end: many seconds behind its card's latest.
    const thirdOfCard = new Set<CardTransaction>();
    const seen = new Map<string, number>();
    for (const transaction of ordered) {
      const n = (seen.get(transaction.cardId) ?? 0) + 1;
      seen.set(transaction.cardId, n);
      if (n === 3) thirdOfCard.add(transaction);
    }
    const arrivals = [...ordered.filter((t) => !thirdOfCard.has(t)), ...thirdOfCard];
    const latestOfCard = new Map(ordered.map((t) => [t.cardId, t.timestamp]));

    const run = await prepareRun(arrivals, 1_000);

    const late = [...thirdOfCard].filter((t) => latestOfCard.get(t.cardId)! - t.timestamp > 1_000);
    expect(late.length).toBeGreaterThan(5);
    expect(late.map((t) => run.byId.get(t.eventId)?.lateByMs)).toEqual(
      late.map((t) => latestOfCard.get(t.cardId)! - t.timestamp),
    );
    expect(late.every((t) => run.byId.get(t.eventId)!.values.every(Number.isFinite))).toBe(true);
    expect([run.byId.size, run.outputs, run.metrics.lateEvents, run.dead.length]).toEqual([
      EVENTS,
      EVENTS,
      late.length,
      0,
    ]);
  }, 300_000);

  it.each([
    ['one event at a time', false],
    ['in a batch', true],
  ])(
    're-emits a late transaction flagged as the first time when it is redelivered, %s',
    async (_mode, batched) => {
      const [first, second] = retimed('late-events-redelivered').slice(0, 2);
      const card = uniqueName('card');
      const latest = { ...second, cardId: card, timestamp: first.timestamp + 60_000 };
      const late = { ...first, cardId: card };
      const counted: number[] = [];
      const context = {
        pipeline: uniqueName('late-redelivered'),
        stage: 'prepare',
        attempt: 1,
        parameters: {},
        allowedLatenessMs: 1_000,
        observeLateEvent: (ms: number) => counted.push(ms),
        signal: new AbortController().signal,
      };
      const handler = new PrepareHandler(new LoopStateStore(dataSource));
      const prepare = async (transaction: CardTransaction) => {
        const event = {
          id: transaction.eventId,
          key: card,
          epoch: undefined,
          payload: transaction,
          eventTime: transaction.timestamp,
          properties: {},
        };
        const [output] = batched
          ? ((await handler.handleBatch([event], context))[0] as readonly { payload: FeaturesPayload }[])
          : await handler.handle(event, context);
        return output.payload;
      };
      await prepare(latest);

      const scored = await prepare(late);
      const redelivered = await prepare(late);

      expect(scored.lateByMs).toBe(60_000);
      expect(redelivered).toEqual(scored);
      expect(counted).toEqual([60_000]);
    },
  );
});
