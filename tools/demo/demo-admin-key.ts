import { ApiKeyService, AuthError } from '@gyre/auth';
import type { GyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const DEMO_KEY_NAME = 'demo-admin';

/**
 * The demo's admin key, the same across runs: the key saved in `file` while it still authenticates;
 * otherwise the live key named demo-admin gets a new secret (or is created), saved for the next run.
 * Only the local demo keeps a secret on disk (.data/, git-ignored, mode 600).
 */
export async function ensureDemoAdminKey(config: GyreConfig, file: string): Promise<string> {
  const dataSource = await createGyreDataSource(config, { applicationName: 'gyre-demo' }).initialize();
  try {
    const keys = new ApiKeyService(dataSource);
    const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (saved !== '' && (await stillAdmin(keys, saved))) return saved;
    const live = await keys.findLiveByName(DEMO_KEY_NAME);
    const issued = live
      ? await keys.rotate(live.id, 'demo')
      : await keys.create({ name: DEMO_KEY_NAME, role: 'admin', scope: { kind: 'all' } }, 'demo');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${issued.secret}\n`, { mode: 0o600 });
    return issued.secret;
  } finally {
    await dataSource.destroy();
  }
}

async function stillAdmin(keys: ApiKeyService, secret: string): Promise<boolean> {
  try {
    return (await keys.authenticate(secret)).role === 'admin';
  } catch (error) {
    if (error instanceof AuthError) return false;
    throw error;
  }
}
