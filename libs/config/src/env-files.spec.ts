import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGyreEnv } from './env-files';

describe(readGyreEnv.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-env-'));
    mkdirSync(join(dir, '.data'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets the real environment win over .env, and .env win over .data/stack.env', () => {
    writeFileSync(
      join(dir, '.data', 'stack.env'),
      'DATABASE_URL=postgres://stack/gyre\nAPI_PORT=1\nLOG_LEVEL=debug\n',
    );
    writeFileSync(join(dir, '.env'), '# local overrides\nAPI_PORT=2\nLOG_LEVEL=warn\n');

    const env = readGyreEnv(dir, { LOG_LEVEL: 'error', UNSET: undefined });

    expect(env).toEqual({ DATABASE_URL: 'postgres://stack/gyre', API_PORT: '2', LOG_LEVEL: 'error' });
  });

  it('reads only the environment when no env file exists', () => {
    expect(readGyreEnv(dir, { API_PORT: '3' })).toEqual({ API_PORT: '3' });
  });
});
