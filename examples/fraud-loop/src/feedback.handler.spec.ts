import { FeedbackHandler, JoinRow, PredictionLabelJoin } from './feedback.handler';
import type { LabelPayload, PredictionPayload } from './loop-contracts';
import { loopContext, loopEvent } from './spec-fixtures';

const prediction: PredictionPayload = {
  eventId: 'tx-1',
  cardId: 'card-1',
  epoch: 4,
  modelVersion: 3,
  score: 0.8,
  values: [1, 2],
};

const label: LabelPayload = {
  eventId: 'tx-1',
  cardId: 'card-1',
  merchantId: 'm-1',
  merchantCategory: 'travel',
  label: 'fraud',
  source: 'chargeback',
  transactionTime: 0,
  reportedAt: 1,
};

/** The join as a map: each half is kept once, the first value wins. */
function memoryJoin(): PredictionLabelJoin & { labelsCounted: number } {
  const rows = new Map<string, JoinRow>();
  const join = {
    labelsCounted: 0,
    recordPrediction: (_pipeline: string, p: PredictionPayload) => {
      const row = rows.get(p.eventId) ?? { prediction: null, label: null };
      const next = { ...row, prediction: row.prediction ?? p };
      rows.set(p.eventId, next);
      return Promise.resolve(next);
    },
    recordLabel: (_pipeline: string, o: LabelPayload, value: 0 | 1) => {
      const row = rows.get(o.eventId) ?? { prediction: null, label: null };
      if (row.label === null) join.labelsCounted += 1;
      const next = { ...row, label: row.label ?? value };
      rows.set(o.eventId, next);
      return Promise.resolve(next);
    },
  };
  return join;
}

describe(FeedbackHandler.name, () => {
  it('emits nothing for a prediction whose label has not come yet, then the example when it comes', async () => {
    const handler = new FeedbackHandler(memoryJoin());

    expect(await handler.handle(loopEvent(prediction), loopContext())).toEqual([]);
    const [example] = await handler.handle(loopEvent(label, 'label-1'), loopContext());

    expect(example).toMatchObject({ stream: 'examples', epoch: '5', key: 'tx-1' });
    expect(example.payload).toEqual({
      eventId: 'tx-1',
      epoch: 5,
      values: [1, 2],
      label: 1,
      score: 0.8,
      modelVersion: 3,
    });
  });

  it('joins a label that arrived before its prediction, and tags the example for the next epoch', async () => {
    const handler = new FeedbackHandler(memoryJoin());

    expect(
      await handler.handle(loopEvent({ ...label, label: 'legit' as const }, 'label-1'), loopContext()),
    ).toEqual([]);
    const [example] = await handler.handle(loopEvent(prediction), loopContext());

    expect(example.payload).toMatchObject({ label: 0, epoch: prediction.epoch + 1 });
  });

  it('counts a redelivered label once', async () => {
    const join = memoryJoin();
    const handler = new FeedbackHandler(join);

    await handler.handle(loopEvent(label, 'label-1'), loopContext());
    await handler.handle(loopEvent(label, 'label-1'), loopContext());

    expect(join.labelsCounted).toBe(1);
  });

  it('refuses an event that is neither a prediction nor a label without retrying', async () => {
    const handler = new FeedbackHandler(memoryJoin());

    await expect(handler.handle(loopEvent({ eventId: 'x' } as never), loopContext())).rejects.toMatchObject({
      code: 'INVALID_FEEDBACK',
      retriable: false,
    });
  });
});
