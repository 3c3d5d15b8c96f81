import { GyreError, GyreErrorOptions } from './gyre-error';

class ExampleError extends GyreError<'EXAMPLE_FAILED'> {
  readonly domain = 'example';

  constructor(options?: GyreErrorOptions) {
    super('EXAMPLE_FAILED', 'the example failed', options);
  }
}

describe(GyreError.name, () => {
  it('is not retriable and names no problems unless the thrower says otherwise', () => {
    const error = new ExampleError();

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ExampleError', code: 'EXAMPLE_FAILED', domain: 'example' });
    expect(error.retriable).toBe(false);
    expect(error.problems).toEqual([]);
    expect(error.retryAfterSeconds).toBeUndefined();
    expect('cause' in error).toBe(false);
  });

  it('keeps the cause, the retry hint and each problem by JSON pointer', () => {
    const cause = new Error('ECONNRESET');
    const error = new ExampleError({
      retriable: true,
      cause,
      retryAfterSeconds: 3,
      problems: [{ pointer: '/name', detail: 'must not be empty' }],
    });

    expect(error.cause).toBe(cause);
    expect(error.retriable).toBe(true);
    expect(error.retryAfterSeconds).toBe(3);
    expect(error.problems).toEqual([{ pointer: '/name', detail: 'must not be empty' }]);
  });
});
