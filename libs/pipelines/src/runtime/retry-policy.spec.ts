import { HandlerError } from '../errors';
import { backoffDelay, decideOnFailure } from './retry-policy';

const policy = { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 1000, multiplier: 2 };
const noJitter = () => 0;

describe(backoffDelay.name, () => {
  it('doubles the delay per attempt from initialBackoffMs and caps it at maxBackoffMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, noJitter))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('adds at most 20 % jitter, never beyond maxBackoffMs', () => {
    expect(backoffDelay(policy, 1, () => 1)).toBe(120);
    expect(backoffDelay(policy, 4, () => 1)).toBe(960);
    expect(backoffDelay(policy, 5, () => 1)).toBe(1000);
  });
});

describe(decideOnFailure.name, () => {
  it('retries a failed attempt with backoff while attempts remain', () => {
    expect(decideOnFailure(policy, 1, new Error('boom'), noJitter)).toEqual({
      action: 'retry',
      delayMs: 100,
    });
    expect(decideOnFailure(policy, 3, new Error('boom'), noJitter)).toEqual({
      action: 'retry',
      delayMs: 400,
    });
  });

  it('dead-letters once the last attempt has failed, and after it (redeliveries past a crash)', () => {
    expect(decideOnFailure(policy, 4, new Error('boom'))).toEqual({
      action: 'dead-letter',
      reason: 'attempts-exhausted',
    });
    expect(decideOnFailure(policy, 7, new Error('boom')).action).toBe('dead-letter');
  });

  it('dead-letters at once an error that says it is not retriable', () => {
    const error = new HandlerError('BAD_INPUT', 'amount is negative', { retriable: false });

    expect(decideOnFailure(policy, 1, error)).toEqual({ action: 'dead-letter', reason: 'not-retriable' });
  });

  it('retries errors that say nothing about retrying, and non-Error throws', () => {
    expect(decideOnFailure(policy, 1, new HandlerError('MODEL_BUSY', 'try later')).action).toBe('retry');
    expect(decideOnFailure(policy, 1, 'a string').action).toBe('retry');
    expect(decideOnFailure(policy, 1, undefined).action).toBe('retry');
  });
});
