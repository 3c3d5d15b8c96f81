import { PipelineError } from '../errors';
import { HandlerRegistry } from './handler-registry';
import type { BatchStageHandler, StageHandler } from './stage-handler';

const handler = (name: string): StageHandler => ({ name, handle: async () => [] });

describe(HandlerRegistry.name, () => {
  it('finds a registered handler by name and lists the names in order', () => {
    const infer = handler('fraud.infer.v1');
    const registry = new HandlerRegistry([handler('fraud.prepare.v1')]).register(infer);

    expect(registry.get('fraud.infer.v1')).toBe(infer);
    expect(registry.has('fraud.prepare.v1')).toBe(true);
    expect(registry.names()).toEqual(['fraud.infer.v1', 'fraud.prepare.v1']);
  });

  it('refuses a second handler with the same name', () => {
    const registry = new HandlerRegistry([handler('score')]);

    expect(() => registry.register(handler('score'))).toThrow(
      expect.objectContaining({ code: 'HANDLER_ALREADY_REGISTERED', retriable: false }),
    );
  });

  it('names the missing handler when asked for one that is not registered', () => {
    const registry = new HandlerRegistry();

    expect(registry.has('train')).toBe(false);
    expect(() => registry.get('train')).toThrow(PipelineError);
    expect(() => registry.get('train')).toThrow('no handler named "train" is registered');
  });

  it('keeps a batch handler as registered and hands it out as a single-event handler too', async () => {
    const batch: BatchStageHandler<number> = {
      name: 'score',
      handleBatch: async (events) =>
        events.map((e) =>
          e.payload < 0 ? new Error('negative') : [{ stream: 'out', payload: e.payload * 2 }],
        ),
    };
    const registry = new HandlerRegistry([batch]);
    const context = {
      pipeline: 'p',
      stage: 's',
      attempt: 1,
      parameters: {},
      signal: new AbortController().signal,
    };
    const event = (payload: number) => ({
      id: 'e',
      key: undefined,
      epoch: undefined,
      payload,
      eventTime: 0,
      properties: {},
    });

    expect(registry.resolve('score')).toBe(batch);
    expect(await registry.get('score').handle(event(2), context)).toEqual([{ stream: 'out', payload: 4 }]);
    await expect(registry.get('score').handle(event(-1), context)).rejects.toThrow('negative');
  });
});
