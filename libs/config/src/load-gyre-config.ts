import { readGyreEnv } from './env-files';
import type { Env } from './env-reader';
import type { GyreConfig, StackConfig } from './gyre-config';
import { parseGyreConfig } from './parse-gyre-config';

/**
 * The typed configuration for code that runs outside Nest (CLI, stack, tests).
 * Without `env`, reads the environment and the env files exactly as the apps do.
 */
export function loadGyreConfig(env?: Env): GyreConfig;
export function loadGyreConfig(env: Env | undefined, options: { requireDatabaseUrl: false }): StackConfig;
export function loadGyreConfig(env?: Env, options?: { requireDatabaseUrl: false }): GyreConfig | StackConfig {
  const source = env ?? readGyreEnv();
  return options ? parseGyreConfig(source, options) : parseGyreConfig(source);
}
