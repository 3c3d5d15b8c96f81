import { PipelineError } from '../errors';
import { DEFAULT_RETRY_POLICY } from './pipeline-definition';
import { parsePipelineDefinition } from './parse-pipeline-definition';

function problemsOf(name: string, raw: unknown): string[] {
  try {
    parsePipelineDefinition(name, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: 'INVALID_PIPELINE_DEFINITION', retriable: false });
    return (error as PipelineError).problems.map(({ pointer, detail }) => `${pointer} ${detail}`);
  }
  throw new Error('expected the definition to be refused');
}

describe(parsePipelineDefinition.name, () => {
  it('fills in the defaults: Shared from Latest, a subscription per pipeline stage, concurrency 8, the default retry policy', () => {
    const definition = parsePipelineDefinition('fraud', {
      stages: [
        { name: 'infer', input: { stream: 'features' }, handler: 'fraud.infer.v1', outputs: ['predictions'] },
      ],
    });

    expect(definition).toEqual({
      stages: [
        {
          name: 'infer',
          input: {
            stream: 'features',
            subscription: 'fraud.infer',
            subscriptionType: 'Shared',
            initialPosition: 'Latest',
          },
          handler: 'fraud.infer.v1',
          outputs: ['predictions'],
          concurrency: 8,
          retry: DEFAULT_RETRY_POLICY,
          parameters: {},
        },
      ],
    });
  });

  it('keeps explicit settings: Key_Shared, subscription, retry policy, dead-letter stream, parameters', () => {
    const [stage] = parsePipelineDefinition('fraud', {
      stages: [
        {
          name: 'prepare',
          input: {
            stream: 'transactions',
            subscription: 'prep',
            subscriptionType: 'Key_Shared',
            initialPosition: 'Earliest',
          },
          handler: 'fraud.prepare.v1',
          outputs: ['features'],
          concurrency: 32,
          retry: { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 500, multiplier: 3 },
          deadLetterStream: 'transactions-poison',
          parameters: { windowMinutes: 60 },
        },
      ],
    }).stages;

    expect(stage).toMatchObject({
      input: { subscription: 'prep', subscriptionType: 'Key_Shared', initialPosition: 'Earliest' },
      concurrency: 32,
      retry: { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 500, multiplier: 3 },
      deadLetterStream: 'transactions-poison',
      parameters: { windowMinutes: 60 },
    });
  });

  it('refuses a definition without stages', () => {
    expect(problemsOf('fraud', {})).toEqual(['/stages must be a non-empty array']);
    expect(problemsOf('fraud', { stages: [] })).toEqual(['/stages must be a non-empty array']);
  });

  it('names every bad field by its JSON pointer, in one error', () => {
    const problems = problemsOf('fraud', {
      stages: [
        {
          name: 'in fer',
          input: { stream: 'features', subscriptionType: 'Exclusive' },
          handler: '',
          outputs: ['ok', 'not/ok'],
          concurrency: 0,
          retry: { maxAttempts: 0, initialBackoffMs: 500, maxBackoffMs: 100 },
        },
      ],
    });

    expect(problems).toEqual([
      '/stages/0/name must be 1-63 letters, digits, - _ . (starting with a letter or digit)',
      '/stages/0/input/subscriptionType must be one of Shared, Key_Shared',
      '/stages/0/outputs/1 must be 1-63 letters, digits, - _ . (starting with a letter or digit)',
      '/stages/0/handler must be a handler name',
      '/stages/0/concurrency must be an integer from 1 to 1000',
      '/stages/0/retry/maxAttempts must be an integer from 1 to 100',
      '/stages/0/retry/maxBackoffMs must not be below initialBackoffMs',
    ]);
  });

  it('refuses two stages with the same name and a pipeline name Pulsar would reject', () => {
    const stage = { name: 'infer', input: { stream: 'features' }, handler: 'h', outputs: [] };

    expect(problemsOf('fraud loop', { stages: [stage, stage] })).toEqual([
      '/name must be 1-63 letters, digits, - _ . (starting with a letter or digit)',
      '/stages/1/name "infer" is used by another stage',
    ]);
  });

  it('names each problem by JSON pointer and lists them all in its message', () => {
    const stage = { name: 'infer', input: { stream: 'features' }, handler: 'h', outputs: [] };

    expect(() => parsePipelineDefinition('fraud loop', { stages: [{ ...stage, batchSize: 0 }] })).toThrow(
      expect.objectContaining({
        problems: [
          {
            pointer: '/name',
            detail: 'must be 1-63 letters, digits, - _ . (starting with a letter or digit)',
          },
          { pointer: '/stages/0/batchSize', detail: 'must be an integer from 1 to 10000' },
        ],
        message:
          'pipeline "fraud loop" is invalid: pipeline name must be 1-63 letters, digits, - _ . (starting with a letter or digit); /stages/0/batchSize must be an integer from 1 to 10000',
      }),
    );
  });

  it('keeps a batch size and wait for Shared and Key_Shared stages, and refuses one out of range', () => {
    const stage = { name: 'infer', input: { stream: 'features' }, handler: 'h', outputs: [] };

    const [parsed, keyed] = parsePipelineDefinition('fraud', {
      stages: [
        { ...stage, batchSize: 64, batchMaxWaitMs: 10 },
        { ...stage, name: 'prepare', input: { stream: 'tx', subscriptionType: 'Key_Shared' }, batchSize: 8 },
      ],
    }).stages;
    expect(parsed).toMatchObject({ batchSize: 64, batchMaxWaitMs: 10 });
    expect(keyed).toMatchObject({ batchSize: 8, input: { subscriptionType: 'Key_Shared' } });
    expect(
      problemsOf('fraud', {
        stages: [{ ...stage, name: 'other', batchSize: 0, batchMaxWaitMs: -1 }],
      }),
    ).toEqual([
      '/stages/0/batchSize must be an integer from 1 to 10000',
      '/stages/0/batchMaxWaitMs must be an integer from 0 to 60000',
    ]);
  });

  it('keeps an allowed lateness from 0 to 24 hours, leaves it unset by default, and refuses one out of range', () => {
    const stage = { name: 'prepare', input: { stream: 'tx' }, handler: 'h', outputs: [] };

    const [set, unset] = parsePipelineDefinition('fraud', {
      stages: [
        { ...stage, allowedLatenessMs: 5000 },
        { ...stage, name: 'other' },
      ],
    }).stages;
    expect(set.allowedLatenessMs).toBe(5000);
    expect(unset).not.toHaveProperty('allowedLatenessMs');
    expect(problemsOf('fraud', { stages: [{ ...stage, allowedLatenessMs: 86_400_001 }] })).toEqual([
      '/stages/0/allowedLatenessMs must be an integer from 0 to 86400000',
    ]);
    expect(problemsOf('fraud', { stages: [{ ...stage, allowedLatenessMs: 1.5 }] })).toEqual([
      '/stages/0/allowedLatenessMs must be an integer from 0 to 86400000',
    ]);
  });

  it('keeps the delivery setting (Shared and Key_Shared) and refuses an unknown one or a misplaced timeout', () => {
    const stage = { name: 'infer', input: { stream: 'features' }, handler: 'h', outputs: [] };
    const [plain, once, keyed] = parsePipelineDefinition('fraud', {
      stages: [
        stage,
        { ...stage, name: 'once', delivery: 'exactly-once', transactionTimeoutMs: 10_000 },
        {
          ...stage,
          name: 'keyed',
          input: { stream: 'tx', subscriptionType: 'Key_Shared' },
          delivery: 'exactly-once',
        },
      ],
    }).stages;
    expect(plain.delivery).toBeUndefined();
    expect(once).toMatchObject({ delivery: 'exactly-once', transactionTimeoutMs: 10_000 });
    expect(keyed).toMatchObject({ delivery: 'exactly-once', input: { subscriptionType: 'Key_Shared' } });
    expect(
      problemsOf('fraud', {
        stages: [
          { ...stage, delivery: 'at-most-once' },
          { ...stage, name: 'b', transactionTimeoutMs: 5000 },
          { ...stage, name: 'c', delivery: 'exactly-once', transactionTimeoutMs: 10 },
        ],
      }),
    ).toEqual([
      '/stages/0/delivery must be one of at-least-once, exactly-once',
      '/stages/1/transactionTimeoutMs applies only to delivery exactly-once',
      '/stages/2/transactionTimeoutMs must be an integer from 1000 to 3600000',
    ]);
  });
});
