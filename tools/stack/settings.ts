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
 * Throws @gyre/config's ConfigurationError, naming every bad key.
 */
export function readStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const config = parseGyreConfig(
    { ...readDotEnv(join(repoRoot, '.env')), ...env },
    { requireDatabaseUrl: false },
  );
  const { buckets } = config.s3;
  return {
    s3: {
      // LocalStack's port: the local S3 server always listens here, whatever S3_ENDPOINT the apps use.
      port: 4566,
      region: config.s3.region,
      accessKeyId: config.s3.credentials?.accessKeyId ?? 'test',
      secretAccessKey: config.s3.credentials?.secretAccessKey ?? 'test',
      tieredBucket: buckets.tiered,
      buckets: [buckets.datasets, buckets.models, buckets.tiered],
    },
    pulsar: {
      brokerPort: 6650,
      webPort: 8080,
      offloadThresholdBytes: config.tier.offloadThresholdBytes,
      offloadDeletionLagMs: config.tier.offloadDeletionLagMs,
    },
    postgres: { externalUrl: config.database.url, embeddedPort: config.database.embeddedPort },
  };
}

export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    Object.entries(parseEnv(readFileSync(file, 'utf8'))).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
