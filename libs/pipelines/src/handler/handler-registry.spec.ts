import { PipelineError } from '../errors';
import { HandlerRegistry } from './handler-registry';
import type { StageHandler } from './stage-handler';

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
});
