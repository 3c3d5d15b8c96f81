import {
  buildFeatureRows,
  evaluate,
  Evaluation,
  FeatureRow,
  FRAUD_FEATURES_V1,
  generateFraudScenario,
  parseModelArtifact,
  scoreVector,
  serializeModel,
  splitByEventId,
  trainLogisticRegression,
} from '@gyre/ml';

const EPOCH_2_START = Date.UTC(2025, 0, 8);

/** The reference loop in miniature: generate, build features, train per epoch, evaluate on held-out events. */
function runLoop(seed: string) {
  const { transactions, outcomes } = generateFraudScenario({ seed, transactionCount: 20_000 });
  const labels = new Map(outcomes.map((o) => [o.eventId, o.label === 'fraud' ? 1 : 0]));
  const rows = buildFeatureRows(FRAUD_FEATURES_V1, transactions, outcomes);
  const { train, heldOut } = splitByEventId(rows, (row) => row.eventId, 0.2);
  const evaluation = heldOut.filter((row) => row.timestamp >= EPOCH_2_START);
  const fit = (examples: FeatureRow[], epoch: string) => {
    const model = trainLogisticRegression(
      FRAUD_FEATURES_V1,
      examples.map((row) => row.values),
      examples.map((row) => labels.get(row.eventId)!),
      { tags: { epoch, seed } },
    );
    // Score through the stored artifact, as the infer stage would.
    const artifact = parseModelArtifact(serializeModel(model));
    const scores = evaluation.map((row) => scoreVector(artifact, row.values));
    return {
      artifact,
      result: evaluate(
        scores,
        evaluation.map((row) => labels.get(row.eventId)!),
      ),
    };
  };
  return {
    epoch1: fit(
      train.filter((row) => row.timestamp < EPOCH_2_START),
      '1',
    ),
    epochs12: fit(train, '1+2'),
  };
}

describe('the fraud feedback loop', () => {
  let first: ReturnType<typeof runLoop>;
  const figures = (result: Evaluation) => [result.auc, result.logLoss, result.brier, result.calibration.ece];

  beforeAll(() => {
    first = runLoop('gyre-e2e');
  });

  it('learns the hidden pattern from epoch 1: AUC on held-out epoch-2 events clearly above chance', () => {
    expect(first.epoch1.result.auc).toBeGreaterThan(0.85);
    expect(first.epoch1.result.examples).toBeGreaterThan(1_500);
    expect(first.epoch1.result.positives).toBeGreaterThan(30);
    expect(first.epoch1.artifact.training.converged).toBe(true);
  });

  it('does not get worse when it trains on epochs 1 and 2', () => {
    expect(first.epochs12.artifact.training.examples).toBeGreaterThan(
      first.epoch1.artifact.training.examples * 1.8,
    );
    expect(first.epochs12.result.auc).toBeGreaterThanOrEqual(first.epoch1.result.auc);
    expect(first.epochs12.result.logLoss).toBeLessThanOrEqual(first.epoch1.result.logLoss);
  });

  it('is deterministic: the same seed gives the same models and figures to the last digit', () => {
    const second = runLoop('gyre-e2e');

    expect(second.epoch1.artifact.checksum).toBe(first.epoch1.artifact.checksum);
    expect(second.epochs12.artifact.checksum).toBe(first.epochs12.artifact.checksum);
    expect(figures(second.epoch1.result)).toEqual(figures(first.epoch1.result));
    expect(figures(second.epochs12.result)).toEqual(figures(first.epochs12.result));
  });

  it('records these figures for the seed gyre-e2e', () => {
    expect(figures(first.epoch1.result).map((x) => x.toFixed(4))).toEqual([
      '0.9161',
      '0.0624',
      '0.0131',
      '0.0075',
    ]);
    expect(figures(first.epochs12.result).map((x) => x.toFixed(4))).toEqual([
      '0.9179',
      '0.0596',
      '0.0125',
      '0.0057',
    ]);
  });
});
