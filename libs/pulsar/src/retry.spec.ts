import { BrokerError, PulsarClientError } from './errors';
import { Backoff, retry } from './retry';

describe(Backoff.name, () => {
  it('doubles from the initial delay up to the cap, with jitter on top', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 350, jitter: 0.2, random: () => 1 });
    expect([backoff.nextDelay(), backoff.nextDelay(), backoff.nextDelay(), backoff.nextDelay()]).toEqual([
      120, 240, 420, 420,
    ]);
    backoff.reset();
    expect(backoff.nextDelay()).toBe(120);
  });
});

describe('retry', () => {
  const noSleep = async (): Promise<void> => undefined;

  it('retries retriable errors until the operation succeeds', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new PulsarClientError('TIMEOUT', 'slow', { retriable: true });
        return 'ok';
      },
      { sleep: noSleep },
    );
    expect([result, calls]).toEqual(['ok', 3]);
  });

  it('gives up at once on a non-retriable error', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new PulsarClientError('INVALID_ARGUMENT', 'bad');
      },
      { sleep: noSleep },
    );
    await expect(failing).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(calls).toBe(1);
  });

  it('stops after the configured number of retries', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new PulsarClientError('TIMEOUT', 'slow', { retriable: true });
      },
      { retries: 2, sleep: noSleep },
    );
    await expect(failing).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(calls).toBe(3);
  });

  it('stops retrying when the next delay would pass the time budget', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new PulsarClientError('TIMEOUT', 'slow', { retriable: true });
      },
      { retries: Infinity, timeoutMs: 250, initialMs: 100, jitter: 0 },
    );
    await expect(failing).rejects.toMatchObject({ code: 'TIMEOUT' });
    // 100 ms then 200 ms: the second delay would end past 250 ms.
    expect(calls).toBe(2);
  });

  it('retries only the errors the caller narrows it to', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new PulsarClientError('CONNECTION_CLOSED', 'gone', { retriable: true });
      },
      { retries: 5, sleep: noSleep, retryOn: (error) => error instanceof BrokerError },
    );
    await expect(failing).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(calls).toBe(1);
  });
});
