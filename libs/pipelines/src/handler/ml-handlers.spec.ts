import { inferHandler, outputOf, prepareHandler, trainHandler } from './ml-handlers';
import type { StageContext, StageEvent } from './stage-handler';

const context = (overrides: Partial<StageContext> = {}): StageContext => ({
  pipeline: 'loop',
  stage: 'stage',
  attempt: 1,
  parameters: {},
  outputs: ['out'],
  signal: new AbortController().signal,
  ...overrides,
});
const event = <T>(payload: T, id = 'evt-1'): StageEvent<T> => ({
  id,
  key: 'card-1',
  epoch: '2',
  payload,
  eventTime: 0,
  properties: {},
});

describe(prepareHandler.name, () => {
  it("emits the features to the stage's only output, or nothing when prepare returns undefined", async () => {
    const handler = prepareHandler<{ amount: number }, { logAmount: number }>({
      name: 'team.prepare.v1',
      prepare: async ({ payload }) =>
        payload.amount > 0 ? { logAmount: Math.log(payload.amount) } : undefined,
    });

    expect(await handler.handle(event({ amount: 1 }), context())).toEqual([
      { stream: 'out', payload: { logAmount: 0 } },
    ]);
    expect(await handler.handle(event({ amount: 0 }), context())).toEqual([]);
    expect(handler.name).toBe('team.prepare.v1');
  });
});

describe(inferHandler.name, () => {
  it('maps a batch to one prediction per event, in order, on the output named by parameters', async () => {
    const handler = inferHandler<number[], number>({
      name: 'team.infer.v1',
      infer: async (events) => events.map((e) => e.payload.reduce((a, b) => a + b, 0)),
    });

    const results = await handler.handleBatch(
      [event([1, 2], 'a'), event([3], 'b')],
      context({ outputs: ['scores', 'audit'], parameters: { output: 'scores' } }),
    );

    expect(results).toEqual([[{ stream: 'scores', payload: 3 }], [{ stream: 'scores', payload: 3 }]]);
  });

  it('fails the whole batch when the model returns another number of predictions', async () => {
    const handler = inferHandler<number, number>({ name: 'short', infer: async () => [0.5] });

    await expect(handler.handleBatch([event(1), event(2)], context())).rejects.toMatchObject({
      code: 'BATCH_RESULT_MISMATCH',
      retriable: true,
    });
  });
});

describe(trainHandler.name, () => {
  it('announces a model update only when train returns one', async () => {
    let seen = 0;
    const handler = trainHandler<{ label: number }, { version: number }>({
      name: 'team.train.v1',
      train: async () => (++seen === 2 ? { version: 1 } : undefined),
    });

    expect(await handler.handle(event({ label: 0 }), context())).toEqual([]);
    expect(await handler.handle(event({ label: 1 }), context())).toEqual([
      { stream: 'out', payload: { version: 1 } },
    ]);
  });
});

describe(outputOf.name, () => {
  it('asks for parameters.output when the stage has several outputs', () => {
    expect(() => outputOf(context({ outputs: ['a', 'b'] }))).toThrow(
      expect.objectContaining({ code: 'INVALID_STAGE_PARAMETERS', retriable: true }),
    );
  });
});
