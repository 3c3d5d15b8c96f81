import { batchIsFull, batchLength, resolveBatchReceivePolicy } from './batch-receive-policy';

describe(resolveBatchReceivePolicy.name, () => {
  it('defaults as the official client: no count limit, 10 MiB, 100 ms', () => {
    expect(resolveBatchReceivePolicy(undefined, 1000)).toEqual({
      maxNumMessages: -1,
      maxNumBytes: 10 * 1024 * 1024,
      timeoutMs: 100,
    });
  });

  it('lowers maxNumMessages to receiverQueueSize, which is all the broker will send at once', () => {
    expect(resolveBatchReceivePolicy({ maxNumMessages: 5000 }, 1000).maxNumMessages).toBe(1000);
  });

  it('refuses a policy without any limit, and non-numbers', () => {
    expect(() =>
      resolveBatchReceivePolicy({ maxNumMessages: -1, maxNumBytes: 0, timeoutMs: 0 }, 1000),
    ).toThrow(/At least one of maxNumMessages, maxNumBytes and timeoutMs/);
    expect(() => resolveBatchReceivePolicy({ timeoutMs: Number.NaN }, 1000)).toThrow(
      /batchReceivePolicy.timeoutMs must be a finite number/,
    );
  });
});

describe(batchIsFull.name, () => {
  const policy = { maxNumMessages: 3, maxNumBytes: 100, timeoutMs: 0 };

  it('is full at maxNumMessages or at maxNumBytes, whichever comes first', () => {
    expect(batchIsFull(policy, 2, 99)).toBe(false);
    expect(batchIsFull(policy, 3, 10)).toBe(true);
    expect(batchIsFull(policy, 1, 100)).toBe(true);
  });

  it('ignores a limit <= 0', () => {
    expect(batchIsFull({ ...policy, maxNumMessages: -1 }, 500, 99)).toBe(false);
    expect(batchIsFull({ ...policy, maxNumBytes: 0 }, 2, 5000)).toBe(false);
  });
});

describe(batchLength.name, () => {
  it('takes messages until the next would pass a limit', () => {
    expect(batchLength({ maxNumMessages: 3, maxNumBytes: 100, timeoutMs: 0 }, [10, 10, 10, 10])).toBe(3);
    expect(batchLength({ maxNumMessages: -1, maxNumBytes: 25, timeoutMs: 0 }, [10, 10, 10])).toBe(2);
  });

  it('takes a message larger than maxNumBytes alone rather than never', () => {
    expect(batchLength({ maxNumMessages: -1, maxNumBytes: 25, timeoutMs: 0 }, [40, 1])).toBe(1);
    expect(batchLength({ maxNumMessages: -1, maxNumBytes: 25, timeoutMs: 0 }, [])).toBe(0);
  });
});
