import { parseGyreConfig } from '@gyre/config';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from './paths';

/** What the stack needs to know, taken from Gyre's validated configuration. */
export interface StackSettings {
  s3: {
    port: number;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    buckets: string[];
    tieredBucket: string;
  };
  pulsar: {
    brokerPort: number;
    webPort: number;
    offloadThresholdBytes: number;
    offloadDeletionLagMs: number;
  };
  postgres: { externalUrl?: string; embeddedPort: number };
}

/**
 * Real environment variables win over .env. Unlike the apps, the stack ignores .data/stack.env: that file
 * is its own output, and reading its DATABASE_URL back would mistake the embedded Postgres for an external one.
 * Tests pass `dotEnv` ({}) so a checkout's own .env does not change what they see.
 * Throws @gyre/config's ConfigurationError, naming every bad key.
 */
export function readStackSettings(
  env: NodeJS.ProcessEnv = process.env,
  dotEnv: Record<string, string> = readDotEnv(join(repoRoot, '.env')),
): StackSettings {
  const config = parseGyreConfig({ ...dotEnv, ...env }, { requireDatabaseUrl: false });
  const { buckets } = config.s3;
  return {
    s3: {
      // The local S3 server listens where S3_ENDPOINT points when that is this machine (LocalStack's 4566 by default).
      port: localPort(config.s3.endpoint, 4566),
      region: config.s3.region,
      accessKeyId: config.s3.credentials?.accessKeyId ?? 'test',
      secretAccessKey: config.s3.credentials?.secretAccessKey ?? 'test',
      tieredBucket: buckets.tiered,
      buckets: [buckets.datasets, buckets.models, buckets.tiered],
    },
    pulsar: {
      brokerPort: localPort(config.pulsar.serviceUrl, 6650),
      webPort: localPort(config.pulsar.adminUrl, 8080),
      offloadThresholdBytes: config.tier.offloadThresholdBytes,
      offloadDeletionLagMs: config.tier.offloadDeletionLagMs,
    },
    postgres: { externalUrl: config.database.url, embeddedPort: config.database.embeddedPort },
  };
}

/** The port of a URL on this machine; the default when the URL is unset or points elsewhere (e.g. AWS). */
function localPort(url: string | undefined, fallback: number): number {
  if (!url) return fallback;
  const parsed = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return fallback;
  return parsed.port ? Number(parsed.port) : fallback;
}

export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    Object.entries(parseEnv(readFileSync(file, 'utf8'))).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
