import { parseGyreConfig } from '@gyre/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readDotEnv } from './settings';
import { repoRoot } from './paths';

/** docker-compose cannot run on these machines; what can be checked here is checked. */
interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const documented = Object.keys(readDotEnv(join(repoRoot, '.env.example')));
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const standaloneConf = readFileSync(join(repoRoot, 'pulsar', 'conf', 'standalone.conf'), 'utf8');
const pulsarVersion = /<pulsar.version>([^<]+)</.exec(
  readFileSync(join(repoRoot, 'pulsar', 'pom.xml'), 'utf8'),
)![1];

describe('docker-compose.yml', () => {
  it.each(['api', 'workers'])('gives %s only settings that .env.example documents', (name) => {
    const env = compose.services[name].environment ?? {};
    expect(Object.keys(env).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it.each(['api', 'workers'])('gives %s a configuration the config schema accepts', (name) => {
    const config = parseGyreConfig(compose.services[name].environment ?? {});
    expect(config.s3.endpoint).toBe('http://localstack:4566');
    expect(config.pulsar.serviceUrl).toBe('pulsar://pulsar:6650');
  });

  it('has the api and the workers listen on every interface of their containers (the apps default to loopback)', () => {
    const defaults = parseGyreConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gyre' });
    expect([defaults.api.host, defaults.workers.host]).toEqual(['127.0.0.1', '127.0.0.1']);

    expect(parseGyreConfig(compose.services.api.environment ?? {}).api.host).toBe('0.0.0.0');
    expect(parseGyreConfig(compose.services.workers.environment ?? {}).workers.host).toBe('0.0.0.0');
    // Compose runs the image's last stage; a plain `docker run` of it must not listen on loopback only.
    const runtimeStage = dockerfile.split(/^FROM /m).pop();
    expect(runtimeStage).toMatch(/^[^\n]* AS runtime\n/);
    expect(runtimeStage).toMatch(/^ENV API_HOST=0\.0\.0\.0 WORKERS_HOST=0\.0\.0\.0$/m);
  });

  it('runs the same Pulsar version as the local stack, with the offloader pointed at LocalStack', () => {
    const pulsar = compose.services.pulsar;
    expect(pulsar.image).toBe(`apachepulsar/pulsar-all:${pulsarVersion}`);
    expect(pulsar.environment?.PULSAR_PREFIX_s3ManagedLedgerOffloadServiceEndpoint).toBe(
      'http://localstack:4566',
    );
    expect(pulsar.environment?.PULSAR_PREFIX_s3ManagedLedgerOffloadBucket).toBe(
      compose.services.api.environment?.S3_BUCKET_TIERED,
    );
    expect(standaloneConf).toMatch(/^managedLedgerOffloadDriver=aws-s3$/m);
  });

  it('acknowledges per message of a batch entry, as the local stack does', () => {
    expect(compose.services.pulsar.environment?.PULSAR_PREFIX_acknowledgmentAtBatchIndexLevelEnabled).toBe(
      'true',
    );
    expect(standaloneConf).toMatch(/^acknowledgmentAtBatchIndexLevelEnabled=true$/m);
  });

  it('publishes the ports of the local stack', () => {
    expect(compose.services.localstack.ports).toContain('127.0.0.1:4566:4566');
    expect(compose.services.pulsar.ports).toEqual(['127.0.0.1:6650:6650', '127.0.0.1:8080:8080']);
  });

  it('creates the same buckets in LocalStack as the local stack does', () => {
    const init = readFileSync(join(repoRoot, 'localstack', 'init-buckets.sh'), 'utf8');
    for (const key of ['S3_BUCKET_DATASETS', 'S3_BUCKET_MODELS', 'S3_BUCKET_TIERED']) {
      expect(init).toContain(`\${${key}:-${readDotEnv(join(repoRoot, '.env.example'))[key]}}`);
    }
  });
});
