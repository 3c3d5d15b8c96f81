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
      model: 'fraud-v1',
      featureDefinition: 'fraud.card-features@1',
      score: 0.9,
      values: [1, 2, 3],
    });
  });

  it("records the challenger's score of the same features in shadow, and serves the champion's", async () => {
    const challenger: Scorer = { modelVersion: 'fraud-v2', score: (v) => Promise.resolve(v.map(() => 0.2)) };
    const models: ServingModelSource = {
      current: () =>
        Promise.resolve({
          version: 1,
          scorer: fixedScorer(0.9),
          challenger: { version: 2, scorer: challenger },
        }),
    };

    const [output] = await new InferHandler(models).handle(loopEvent(features), loopContext());

    expect(output.payload).toMatchObject({
      modelVersion: 1,
      model: 'fraud-v1',
      score: 0.9,
      shadow: { modelVersion: 2, model: 'fraud-v2', score: 0.2 },
    });
  });

  it('predicts the prior fraud rate, with no model version, before the first model exists', async () => {
    const models: ServingModelSource = { current: () => Promise.resolve(undefined) };

    const [output] = await new InferHandler(models).handle(loopEvent(features), loopContext());

    expect(output.payload).toMatchObject({ modelVersion: null, model: 'prior', score: RISK_PRIOR });
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

  it('scores a batch in one model call, and fails only the events whose features are invalid', async () => {
    const calls: number[] = [];
    const scorer: Scorer = {
      modelVersion: 'fraud-v4',
      score: (vectors) => {
        calls.push(vectors.length);
        return Promise.resolve(vectors.map((v) => v[0] / 10));
      },
    };
    const handler = new InferHandler({ current: () => Promise.resolve({ version: 4, scorer }) });
    const batch = [1, 2, 3].map((n) =>
      loopEvent({ ...features, eventId: `tx-${n}`, values: n === 2 ? ['x'] : [n] } as FeaturesPayload),
    );

    const results = await handler.handleBatch(batch, loopContext());

    expect(calls).toEqual([2]);
    expect(results[1]).toMatchObject({ code: 'INVALID_FEATURES', retriable: false });
    expect(
      [results[0], results[2]].map((r) => (r as readonly { payload: { score: number } }[])[0].payload.score),
    ).toEqual([0.1, 0.3]);
  });

  it('refuses (retriably) a kserve scorer without a server to call', async () => {
    const handler = new InferHandler({ current: () => Promise.resolve(undefined) });

    await expect(
      handler.handleBatch(
        [loopEvent(features)],
        loopContext({ scorer: 'kserve', kserve: { model: 'fraud' } }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_STAGE_PARAMETERS', retriable: true });
    await expect(handler.handle(loopEvent(features), loopContext({ scorer: 'onnx' }))).rejects.toMatchObject({
      code: 'INVALID_STAGE_PARAMETERS',
    });
  });
});
