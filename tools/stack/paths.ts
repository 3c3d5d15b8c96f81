import { join, resolve } from 'node:path';

/** Every file the stack writes lives under the git-ignored .data/ of the repository. */
export const repoRoot = resolve(__dirname, '..', '..');
export const dataDir = join(repoRoot, '.data');
export const stackEnvFile = join(dataDir, 'stack.env');

export const pulsarHome = join(repoRoot, 'pulsar');
export const s3proxyHome = join(repoRoot, 'tools', 's3proxy');

export function serviceDir(name: string): string {
  return join(dataDir, name);
}
