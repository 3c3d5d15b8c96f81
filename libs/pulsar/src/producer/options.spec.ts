import { InvalidArgumentError } from '../errors';
import { resolveProducerConfig } from './options';

describe(resolveProducerConfig.name, () => {
  it('leaves chunking off by default and turns it on with batching off', () => {
    expect(resolveProducerConfig({ topic: 't' }).chunkingEnabled).toBe(false);
    expect(
      resolveProducerConfig({ topic: 't', chunkingEnabled: true, batchingEnabled: false }).chunkingEnabled,
    ).toBe(true);
  });

  it('refuses chunking with batching on (the default), as the official clients', () => {
    expect(() => resolveProducerConfig({ topic: 't', chunkingEnabled: true })).toThrow(InvalidArgumentError);
    expect(() => resolveProducerConfig({ topic: 't', chunkingEnabled: true, batchingEnabled: true })).toThrow(
      'chunkingEnabled needs batchingEnabled: false',
    );
  });

  it('refuses chunking on a non-persistent topic', () => {
    expect(() =>
      resolveProducerConfig({
        topic: 'non-persistent://public/default/t',
        chunkingEnabled: true,
        batchingEnabled: false,
      }),
    ).toThrow('chunkingEnabled works on persistent topics only');
  });
});
