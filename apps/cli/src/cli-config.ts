import { UsageError } from './errors';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface CliConfig {
  apiUrl: string;
  /** Undefined when neither --api-key nor GYRE_API_KEY is given; commands that call the API refuse then. */
  apiKey: string | undefined;
}

/** The API's URL and key: a flag wins over the environment, which wins over the local default URL. */
export function resolveCliConfig(
  flags: { 'api-url'?: string; 'api-key'?: string },
  env: Readonly<Record<string, string | undefined>>,
): CliConfig {
  const apiUrl = (flags['api-url'] ?? nonBlank(env.GYRE_API_URL) ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const source = flags['api-url'] !== undefined ? '--api-url' : 'GYRE_API_URL';
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(`${source} must be an http:// or https:// URL (got "${apiUrl}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${source} must be an http:// or https:// URL (got "${apiUrl}")`);
  return { apiUrl, apiKey: nonBlank(flags['api-key']) ?? nonBlank(env.GYRE_API_KEY) };
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
