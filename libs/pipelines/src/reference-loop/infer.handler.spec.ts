import { RISK_PRIOR, Scorer } from '@gyre/ml';
import { InferHandler, ServingModelSource } from './infer.handler';
import type { FeaturesPayload } from './loop-contracts';
import { loopContext, loopEvent } from './spec-fixtures';

const features: FeaturesPayload = {
  eventId: 'tx-1',
  cardId: 'card-1',
  timestamp: 0,
  epoch: 2,
  featureDefinition: 'fraud.card-features@1',
  values: [1, 2, 3],
};

const fixedScorer = (score: number): Scorer => ({
  modelVersion: 'fraud-v1',
  score: (vectors) => Promise.resolve(vectors.map(() => score)),
});

describe(InferHandler.name, () => {
  it('scores with the current model version and tags the prediction with it and the epoch', async () => {
    const models: ServingModelSource = {
      current: () => Promise.resolve({ version: 1, scorer: fixedScorer(0.9) }),
    };

    const [output] = await new InferHandler(models).handle(loopEvent(features), loopContext());

    expect(output).toMatchObject({ stream: 'predictions', epoch: '2' });
    expect(output.payload).toEqual({
      eventId: 'tx-1',
      cardId: 'card-1',
      epoch: 2,
      modelVersion: 1,
      score: 0.9,
      values: [1, 2, 3],
    });
  });

  it('predicts the prior fraud rate, with no model version, before the first model exists', async () => {
    const models: ServingModelSource = { current: () => Promise.resolve(undefined) };

    const [output] = await new InferHandler(models).handle(loopEvent(features), loopContext());

    expect(output.payload).toMatchObject({ modelVersion: null, score: RISK_PRIOR });
  });

  it('uses a new model version as soon as the source returns it, without a restart', async () => {
    let serving = { version: 1, scorer: fixedScorer(0.1) };
    const handler = new InferHandler({ current: () => Promise.resolve(serving) });
    const before = await handler.handle(loopEvent(features), loopContext());
    serving = { version: 2, scorer: fixedScorer(0.7) };
    const after = await handler.handle(loopEvent(features), loopContext());

    expect([before[0].payload.modelVersion, after[0].payload.modelVersion]).toEqual([1, 2]);
    expect(after[0].payload.score).toBe(0.7);
  });

  it('refuses features that are not a vector of numbers without retrying', async () => {
    const handler = new InferHandler({ current: () => Promise.resolve(undefined) });

    await expect(
      handler.handle(loopEvent({ ...features, values: ['a'] } as never), loopContext()),
    ).rejects.toMatchObject({ code: 'INVALID_FEATURES', retriable: false });
  });
});
