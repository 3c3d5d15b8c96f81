import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { Env } from './env-reader';

/** Earlier files win; real environment variables win over all of them. */
export const ENV_FILE_PATHS: readonly string[] = ['.env', '.data/stack.env'];

/** process.env over .env over .data/stack.env, as @nestjs/config merges them for the apps. */
export function readGyreEnv(cwd: string = process.cwd(), env: Env = process.env): Env {
  const merged: Record<string, string | undefined> = {};
  for (const path of [...ENV_FILE_PATHS].reverse()) {
    const file = resolve(cwd, path);
    if (existsSync(file)) Object.assign(merged, parseEnv(readFileSync(file, 'utf8')));
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}
