import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** What the stack needs to know; names and defaults are those of .env.example. */
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

/** Real environment variables win over .env, as for the apps. */
export function readStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const merged = { ...readDotEnv(join(repoRoot, '.env')), ...definedOnly(env) };
  const get = (key: string, fallback: string) => merged[key] || fallback;
  const tieredBucket = get('S3_BUCKET_TIERED', 'gyre-tiered');
  return {
    s3: {
      port: 4566,
      region: get('S3_REGION', 'us-east-1'),
      accessKeyId: get('S3_ACCESS_KEY_ID', 'test'),
      secretAccessKey: get('S3_SECRET_ACCESS_KEY', 'test'),
      tieredBucket,
      buckets: [
        get('S3_BUCKET_DATASETS', 'gyre-datasets'),
        get('S3_BUCKET_MODELS', 'gyre-models'),
        tieredBucket,
      ],
    },
    pulsar: {
      brokerPort: 6650,
      webPort: 8080,
      offloadThresholdBytes: integer(
        get('TIER_OFFLOAD_THRESHOLD_BYTES', '67108864'),
        'TIER_OFFLOAD_THRESHOLD_BYTES',
      ),
      offloadDeletionLagMs: integer(
        get('TIER_OFFLOAD_DELETION_LAG_MS', '3600000'),
        'TIER_OFFLOAD_DELETION_LAG_MS',
      ),
    },
    postgres: {
      externalUrl: merged.DATABASE_URL || undefined,
      embeddedPort: integer(get('EMBEDDED_POSTGRES_PORT', '54329'), 'EMBEDDED_POSTGRES_PORT'),
    },
  };
}

function integer(value: string, key: string): number {
  if (!/^-?\d+$/.test(value)) throw new Error(`${key} must be an integer, got "${value}"`);
  return Number.parseInt(value, 10);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Minimal KEY=VALUE reader (comments and blank lines ignored); the apps use @nestjs/config's. */
export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}
