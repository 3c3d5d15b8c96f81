import { Client, TransactionError } from '@gyre/pulsar';
import { parsePipelineDefinition } from '../definition/parse-pipeline-definition';
import { StageRunner } from './stage-runner';

describe(StageRunner.name, () => {
  it('refuses to start an exactly-once stage, naming why, when the broker runs no transaction coordinator', async () => {
    const [stage] = parsePipelineDefinition('p', {
      stages: [
        { name: 's', input: { stream: 'in' }, handler: 'h', outputs: ['out'], delivery: 'exactly-once' },
      ],
    }).stages;
    const refusal = new TransactionError('no transaction coordinator');
    const client = { newTransaction: () => Promise.reject(refusal) } as unknown as Client;
    const runner = new StageRunner({
      client,
      pipeline: 'p',
      stage,
      handler: { name: 'h', handle: async () => [] },
      topicOf: (stream) => `persistent://t/n/${stream}`,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await expect(runner.start()).rejects.toMatchObject({
      code: 'STAGE_START_FAILED',
      retriable: false,
      message: expect.stringContaining('no transaction coordinator'),
      cause: refusal,
    });
    expect(runner.status.state).toBe('closed');
  });
});
