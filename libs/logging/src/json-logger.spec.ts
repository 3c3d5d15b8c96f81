import { JsonLogger, JsonLoggerOptions } from './json-logger';

function capture(level: JsonLoggerOptions['level']) {
  const lines: string[] = [];
  const logger = new JsonLogger({
    level,
    sink: { write: (line: string) => lines.push(line) },
    clock: () => new Date('2025-01-02T03:04:05.006Z'),
  });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

describe(JsonLogger.name, () => {
  it('writes one JSON object per line with level, time, context and msg first', () => {
    const { logger, lines } = capture('info');

    logger.log('broker reachable', 'HealthService');

    expect(lines).toEqual([
      '{"level":"info","time":"2025-01-02T03:04:05.006Z","context":"HealthService","msg":"broker reachable"}\n',
    ]);
  });

  it('drops lines below LOG_LEVEL and maps Nest levels onto Gyre levels', () => {
    const { logger, records } = capture('warn');

    logger.debug('d');
    logger.verbose('v');
    logger.log('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');

    expect(records().map((record) => [record.level, record.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
      ['fatal', 'f'],
    ]);
  });

  it('turns an object message and object arguments into structured fields', () => {
    const { logger, records } = capture('debug');

    logger.log({ msg: 'stage finished', stage: 'train', epoch: 3 }, { durationMs: 12 }, 'Pipeline');

    expect(records()).toEqual([
      expect.objectContaining({
        context: 'Pipeline',
        msg: 'stage finished',
        stage: 'train',
        epoch: 3,
        durationMs: 12,
      }),
    ]);
  });

  it("follows Nest's error(message, stack, context) convention", () => {
    const { logger, records } = capture('info');

    logger.error('request failed', 'Error: boom\n    at handler (app.ts:1:1)', 'ExceptionsHandler');

    expect(records()[0]).toMatchObject({
      context: 'ExceptionsHandler',
      msg: 'request failed',
      stack: 'Error: boom\n    at handler (app.ts:1:1)',
    });
  });

  it('serialises an Error argument with its code, retriable flag and cause', () => {
    const { logger, records } = capture('info');
    const error = Object.assign(new Error('bucket missing', { cause: new Error('404') }), {
      code: 'BUCKET_NOT_FOUND',
      retriable: false,
    });

    logger.error('health check failed', error, 'S3');

    expect(records()[0].error).toMatchObject({
      name: 'Error',
      message: 'bucket missing',
      code: 'BUCKET_NOT_FOUND',
      retriable: false,
      cause: { message: '404' },
    });
  });

  it('never logs secrets: credential-like keys, URL passwords and bearer tokens are redacted', () => {
    const { logger, lines } = capture('info');

    logger.log(
      {
        msg: 'connecting to postgres://gyre:hunter2@db:5432/gyre with Bearer eyJhbGciOi.e30.sig',
        password: 'hunter2',
        authToken: 'eyJhbGciOi.e30.sig',
        s3: { secretAccessKey: 'wJalrXUtnFEMI', credentials: { accessKeyId: 'AKIA' } },
        headers: { Authorization: 'Bearer abc' },
      },
      'Boot',
    );

    const [line] = lines;
    expect(line).not.toMatch(/hunter2|eyJhbGciOi|wJalrXUtnFEMI|AKIA|abc/);
    expect(JSON.parse(line)).toMatchObject({
      msg: 'connecting to postgres://gyre:***@db:5432/gyre with Bearer [redacted]',
      password: '[redacted]',
      s3: { secretAccessKey: '[redacted]', credentials: '[redacted]' },
      headers: { Authorization: '[redacted]' },
    });
  });

  it('never logs payloads: payload and body fields and raw bytes are omitted', () => {
    const { logger, records } = capture('info');

    logger.log(
      { msg: 'published', payload: { features: [1, 2] }, body: 'raw', bytes: Buffer.from('abc') },
      'Ingest',
    );

    expect(records()[0]).toMatchObject({
      payload: '[omitted]',
      body: '[omitted]',
      bytes: '[3 bytes omitted]',
    });
  });

  it('cannot be made to throw by a circular field', () => {
    const { logger, records } = capture('info');
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;

    logger.log({ msg: 'odd', loop }, 'Test');

    expect(records()[0]).toMatchObject({ msg: 'odd', loop: { name: 'loop', self: '[circular]' } });
  });

  it('writes each line before the call returns, and keeps fields from overwriting level, time or context', () => {
    const { logger, lines } = capture('info');

    logger.log({ msg: 'first', level: 'debug', time: 'yesterday', context: 'Forged' }, 'Real');
    expect(lines).toHaveLength(1);
    logger.warn('second');

    expect(lines).toEqual([
      '{"level":"info","time":"2025-01-02T03:04:05.006Z","context":"Real","msg":"first"}\n',
      '{"level":"warn","time":"2025-01-02T03:04:05.006Z","msg":"second"}\n',
    ]);
  });
});
