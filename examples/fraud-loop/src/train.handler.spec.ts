import { buildFeatureRows, FRAUD_FEATURES_V1, generateFraudScenario, parseModelArtifact } from '@gyre/ml';
import type { ExamplePayload } from './loop-contracts';
import { loopContext, loopEvent } from './spec-fixtures';
import type { PromotionPolicy } from './promotion-policy';
import {
  ChallengerPromotion,
  LoopArtifacts,
  NewModelVersion,
  TrainHandler,
  TrainingLedger,
} from './train.handler';
import type { ExampleRow } from './train-model';

/** Each scenario event's key and event time, as the ledger joins them from prepare's feature rows. */
const featureRows = new Map<string, { key: string; eventTime: number }>();

/** Examples of epoch 2 (from epoch 1's predictions) built from a small synthetic scenario. */
function scenarioExamples(count: number): ExamplePayload[] {
  const { transactions, outcomes } = generateFraudScenario({ seed: 'train-spec', transactionCount: count });
  for (const t of transactions) featureRows.set(t.eventId, { key: t.cardId, eventTime: t.timestamp });
  const labels = new Map(outcomes.map((o) => [o.eventId, o.label === 'fraud' ? 1 : 0] as const));
  return buildFeatureRows(FRAUD_FEATURES_V1, transactions, outcomes).map((row) => ({
    eventId: row.eventId,
    epoch: 2,
    values: row.values,
    label: labels.get(row.eventId)!,
    score: 0.03,
    modelVersion: null,
  }));
}

function memoryLedger(cutoff: number | null = null): TrainingLedger & {
  versions: NewModelVersion[];
  state: Map<number, string>;
  asked: (number | undefined)[];
  history: (number | undefined)[];
  from: (number | undefined)[];
} {
  const examples = new Map<string, ExampleRow>();
  const state = new Map<number, string>([[1, 'open']]);
  const versions: NewModelVersion[] = [];
  const asked: (number | undefined)[] = [];
  const history: (number | undefined)[] = [];
  const from: (number | undefined)[] = [];
  return {
    versions,
    state,
    asked,
    history,
    from,
    epochCutoff: () => Promise.resolve(cutoff),
    addExample: (_p, example) => {
      const joined = featureRows.get(example.eventId);
      examples.set(`${example.epoch}/${example.eventId}`, {
        ...example,
        key: joined?.key ?? null,
        eventTime: joined?.eventTime ?? null,
      });
      return Promise.resolve([...examples.values()].filter((e) => e.epoch === example.epoch).length);
    },
    claimTraining: (_p, epoch) => {
      if (state.get(epoch) === 'training') return Promise.resolve('busy');
      if (state.get(epoch) !== 'open') return Promise.resolve('done');
      state.set(epoch, 'training');
      return Promise.resolve('claimed');
    },
    releaseTraining: (_p, epoch) => {
      state.set(epoch, 'open');
      return Promise.resolve();
    },
    // The memory ledger records the cut-off asked for; the Postgres one filters by it (integration tests).
    examplesThrough: (_p, epoch, labelsKnownBy, historyThrough, fromEpoch) => {
      asked.push(labelsKnownBy);
      history.push(historyThrough);
      from.push(fromEpoch);
      return Promise.resolve(
        [...examples.values()].filter((e) => e.epoch <= epoch && e.epoch >= (fromEpoch ?? 0)),
      );
    },
    recordModelVersion: (_p, version) => {
      versions.push(version);
      state.set(version.epoch, 'closed');
      return Promise.resolve();
    },
  };
}

function memoryArtifacts(): LoopArtifacts & { objects: Map<string, unknown> } {
  const objects = new Map<string, unknown>();
  return {
    objects,
    writeModel: (pipeline, version, artifact) => {
      objects.set(`models/${pipeline}/v${version}`, artifact);
      return Promise.resolve({ bucket: 'models', key: `${pipeline}/v${version}` });
    },
    writeDataset: (pipeline, epoch, columns, rows) => {
      objects.set(`datasets/${pipeline}/${epoch}`, rows);
      return Promise.resolve({
        bucket: 'datasets',
        key: `${pipeline}/${epoch}`,
        rowCount: rows.length,
        checksum: 'abc',
        sizeBytes: 1,
        schema: columns,
        metadata: {},
      });
    },
  };
}

/** Records each promotion check and the policy it was asked under; never promotes. */
function memoryPromotion(): ChallengerPromotion & { checks: PromotionPolicy[] } {
  const checks: PromotionPolicy[] = [];
  return {
    checks,
    autoPromote: (_p, policy) => {
      checks.push(policy);
      return Promise.resolve({ promoted: false, reason: 'memory' });
    },
  };
}

async function feed(handler: TrainHandler, examples: ExamplePayload[], parameters: Record<string, unknown>) {
  const outputs = [];
  for (const example of examples)
    outputs.push(
      ...(await handler.handle(loopEvent(example, `ex-${example.eventId}`), loopContext(parameters))),
    );
  return outputs;
}

describe(TrainHandler.name, () => {
  const examples = scenarioExamples(3000);
  const parameters = { minExamples: examples.length, seed: 'spec', output: 'model-updates' };

  it('trains nothing until the epoch holds minExamples examples, then trains version 1 once', async () => {
    const ledger = memoryLedger();
    const artifacts = memoryArtifacts();

    const outputs = await feed(new TrainHandler(ledger, artifacts, memoryPromotion()), examples, parameters);

    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ stream: 'model-updates', payload: { version: 1, epoch: 1 } });
    expect(ledger.versions).toHaveLength(1);
    expect(ledger.state.get(1)).toBe('closed');
  });

  it('evaluates on held-out examples, learns the pattern, and stores a verifiable artifact and the dataset', async () => {
    const ledger = memoryLedger();
    const artifacts = memoryArtifacts();
    await feed(new TrainHandler(ledger, artifacts, memoryPromotion()), examples, parameters);
    const [version] = ledger.versions;

    expect(version.metrics.auc).toBeGreaterThan(0.8);
    expect(version.metrics.examples).toBeLessThan(examples.length * 0.35);
    expect(version.dataset.rowCount).toBe(examples.length);
    const artifact = parseModelArtifact(artifacts.objects.get('models/loop/v1') as string);
    expect(artifact.checksum).toBe(version.artifact.checksum);
  });

  it('writes each dataset row with its own epoch, its key and its event time', async () => {
    const artifacts = memoryArtifacts();
    await feed(new TrainHandler(memoryLedger(), artifacts, memoryPromotion()), examples, parameters);
    const rows = artifacts.objects.get('datasets/loop/1') as Record<string, unknown>[];

    // Epoch 1's events (tagged 2 on the examples stream, the epoch they train).
    expect(new Set(rows.map((row) => row.epoch))).toEqual(new Set([1]));
    expect(rows.map((row) => [row.event_id, row.key, row.event_time]).sort()).toEqual(
      examples
        .map((example) => {
          const { key, eventTime } = featureRows.get(example.eventId)!;
          return [example.eventId, key, eventTime];
        })
        .sort(),
    );
  });

  it('is deterministic: the same examples in another order give the same artifact', async () => {
    const [first, second] = [memoryArtifacts(), memoryArtifacts()];
    await feed(new TrainHandler(memoryLedger(), first, memoryPromotion()), examples, parameters);
    await feed(
      new TrainHandler(memoryLedger(), second, memoryPromotion()),
      [...examples].reverse(),
      parameters,
    );

    expect(second.objects.get('models/loop/v1')).toBe(first.objects.get('models/loop/v1'));
  });

  it('keeps one example per (epoch, event id), so redelivered examples do not reach the threshold', async () => {
    const ledger = memoryLedger();
    const handler = new TrainHandler(ledger, memoryArtifacts(), memoryPromotion());
    const half = examples.slice(0, examples.length / 2);

    await feed(handler, [...half, ...half], parameters);

    expect(ledger.versions).toHaveLength(0);
  });

  it('releases the epoch without a model when one side of the split has a single class', async () => {
    const ledger = memoryLedger();
    const legit = examples.filter((e) => e.label === 0).slice(0, 50);

    const outputs = await feed(new TrainHandler(ledger, memoryArtifacts(), memoryPromotion()), legit, {
      ...parameters,
      minExamples: 50,
    });

    expect(outputs).toEqual([]);
    expect(ledger.state.get(1)).toBe('open');
  });

  it('holds back (retriably) an example that arrives while another worker trains its epoch', async () => {
    const ledger = memoryLedger();
    const handler = new TrainHandler(ledger, memoryArtifacts(), memoryPromotion());
    const [last, ...rest] = [...examples].reverse();
    await feed(handler, rest, parameters);
    ledger.state.set(1, 'training');

    await expect(
      handler.handle(loopEvent(last, `ex-${last.eventId}`), loopContext(parameters)),
    ).rejects.toMatchObject({
      code: 'EPOCH_TRAINING_IN_PROGRESS',
      retriable: true,
    });
    expect(ledger.versions).toHaveLength(0);
  });

  it('acks a redelivered example once the epoch it would train is closed', async () => {
    const ledger = memoryLedger();
    const handler = new TrainHandler(ledger, memoryArtifacts(), memoryPromotion());
    await feed(handler, examples, parameters);
    const [first] = examples;

    const outputs = await handler.handle(loopEvent(first, `ex-${first.eventId}`), {
      ...loopContext(parameters),
      attempt: 3,
    });

    expect(outputs).toEqual([]);
    expect(ledger.versions).toHaveLength(1);
  });

  it('checks the challenger every checkEvery examples and before training, under the pipeline policy', async () => {
    const promotion = memoryPromotion();
    const few = examples.slice(0, 250);

    await feed(new TrainHandler(memoryLedger(), memoryArtifacts(), promotion), few, {
      ...parameters,
      minExamples: 250,
      promotion: { mode: 'manual', checkEvery: 100 },
    });

    // At 100 and 200 examples, then once more by the worker that claims the epoch, just before training.
    expect(promotion.checks).toHaveLength(3);
    expect(promotion.checks[0]).toMatchObject({ mode: 'manual', checkEvery: 100, metric: 'logLoss' });
  });

  it('asks for every example of the history epochs besides the cut training set', async () => {
    const ledger = memoryLedger(1_700_000_000_000);

    await feed(new TrainHandler(ledger, memoryArtifacts(), memoryPromotion()), examples, {
      ...parameters,
      historyEpochs: 1,
    });

    // The cut set, and epoch 1's examples (tagged 2) whatever their label's time.
    expect(ledger.asked).toEqual([1_700_000_000_000]);
    expect(ledger.history).toEqual([2]);
    expect(ledger.versions[0].training).toMatchObject({ labelsKnownBy: 1_700_000_000_000, historyEpochs: 1 });
    // Trained at the end of a history epoch: recorded to become the champion at once.
    expect(ledger.versions[0].onHistory).toBe(true);
  });

  it('reads only the latest trainingWindowEpochs epochs, and records the window in the lineage', async () => {
    const windowed = memoryLedger();
    const everything = memoryLedger();

    await feed(new TrainHandler(windowed, memoryArtifacts(), memoryPromotion()), examples, {
      ...parameters,
      trainingWindowEpochs: 1,
    });
    await feed(new TrainHandler(everything, memoryArtifacts(), memoryPromotion()), examples, parameters);

    // Version 1 with a window of one epoch: epoch 1's examples, tagged 2, and nothing before.
    expect(windowed.from).toEqual([2]);
    expect(everything.from).toEqual([undefined]);
    expect(windowed.versions[0].training).toMatchObject({ trainingWindowEpochs: 1 });
    expect(everything.versions[0].training).toMatchObject({ trainingWindowEpochs: 0 });
  });

  it("reads the training set up to the epoch's end in event time, unless labelCutoff is none", async () => {
    const cut = memoryLedger(1_700_000_000_000);
    const uncut = memoryLedger(1_700_000_000_000);

    await feed(new TrainHandler(cut, memoryArtifacts(), memoryPromotion()), examples, parameters);
    await feed(new TrainHandler(uncut, memoryArtifacts(), memoryPromotion()), examples, {
      ...parameters,
      labelCutoff: 'none',
    });

    expect(cut.asked).toEqual([1_700_000_000_000]);
    expect(cut.versions[0].training).toMatchObject({ labelsKnownBy: 1_700_000_000_000 });
    expect(uncut.asked).toEqual([undefined]);
    await expect(
      new TrainHandler(memoryLedger(), memoryArtifacts(), memoryPromotion()).handle(
        loopEvent(examples[0], 'ex-bad'),
        loopContext({ ...parameters, minExamples: 1, labelCutoff: 'later' }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_STAGE_PARAMETERS', retriable: true });
  });
});
