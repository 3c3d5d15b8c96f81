import { QueuedMessage } from './entry-encoder';
import { KeyBasedBatchContainer } from './key-based-batch-container';
import type { ProducerMessage } from './options';

const queued = (data: string, keys: Partial<ProducerMessage> = {}): QueuedMessage => ({
  message: { data: Buffer.from(data), ...keys },
  sequenceId: -1,
  resolve: () => undefined,
  reject: () => undefined,
});
const texts = (batch: QueuedMessage[]) => batch.map((q) => q.message.data.toString());

describe(KeyBasedBatchContainer.name, () => {
  const limits = {
    batchingMaxMessages: 100,
    batchingMaxAllowedSizeInBytes: 1024,
    batchingMaxPublishDelayMs: 10_000,
  };

  it('seals one batch per key, in the order the keys first arrived, keeping each key’s order', () => {
    const sealed: QueuedMessage[][] = [];
    const container = new KeyBasedBatchContainer(limits, (batch) => sealed.push(batch));
    container.add(queued('b1', { partitionKey: 'b' }));
    container.add(queued('a1', { partitionKey: 'a' }));
    container.add(queued('none'));
    container.add(queued('b2', { partitionKey: 'b' }));
    container.add(queued('o1', { partitionKey: 'b', orderingKey: 'x' }));
    expect(container.length).toBe(5);
    container.flush();
    expect(sealed.map(texts)).toEqual([['b1', 'b2'], ['a1'], ['none'], ['o1']]);
    expect(container.length).toBe(0);
  });

  it('seals every key once the limits, counted over all keys, are reached', () => {
    const sealed: QueuedMessage[][] = [];
    const container = new KeyBasedBatchContainer({ ...limits, batchingMaxMessages: 3 }, (batch) =>
      sealed.push(batch),
    );
    ['a', 'b', 'a', 'b'].forEach((key, i) => container.add(queued(`${key}${i}`, { partitionKey: key })));
    expect(sealed.map(texts)).toEqual([['a0', 'a2'], ['b1']]);
    expect(container.takeAll().map((q) => q.message.data.toString())).toEqual(['b3']);
  });

  it('seals on the publish delay', () => {
    jest.useFakeTimers();
    try {
      const sealed: QueuedMessage[][] = [];
      const container = new KeyBasedBatchContainer({ ...limits, batchingMaxPublishDelayMs: 5 }, (batch) =>
        sealed.push(batch),
      );
      container.add(queued('a', { partitionKey: 'k' }));
      jest.advanceTimersByTime(5);
      expect(sealed.map(texts)).toEqual([['a']]);
    } finally {
      jest.useRealTimers();
    }
  });
});
