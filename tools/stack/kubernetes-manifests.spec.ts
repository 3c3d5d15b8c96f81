import { parseGyreConfig } from '@gyre/config';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readDotEnv } from './settings';
import { repoRoot } from './paths';

/** Kubernetes cannot run on these machines; what can be checked here is checked (as for docker-compose). */
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}
interface Container {
  name: string;
  image: string;
  command: string[];
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value: string }[];
  envFrom?: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
}

const k8sRoot = join(repoRoot, 'deploy', 'k8s');
const overlay = join(k8sRoot, 'overlays', 'example');
const documented = Object.keys(readDotEnv(join(repoRoot, '.env.example')));
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** What `kubectl apply -k` would send: the overlay rendered by kustomize (built into kubectl). */
function renderOverlay(): Manifest[] {
  let rendered: string;
  try {
    rendered = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`kubectl kustomize ${relative(repoRoot, overlay)} failed: ${String(error)}`);
  }
  return parseAllDocuments(rendered).map((document) => document.toJS() as Manifest);
}

function containersOf(manifests: Manifest[]): Map<string, Container> {
  const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
  return new Map(
    deployments.map((deployment) => {
      const template = deployment.spec?.template as { spec: { containers: Container[] } };
      return [deployment.metadata.name, template.spec.containers[0]];
    }),
  );
}

/** The environment a container starts with: its ConfigMap and Secret, then its own env entries. */
function environmentOf(container: Container, manifests: Manifest[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = 'configMapRef' in source ? source.configMapRef : source.secretRef;
    const kind = 'configMapRef' in source ? 'ConfigMap' : 'Secret';
    const found = manifests.find((m) => m.kind === kind && m.metadata.name === ref.name);
    if (!found)
      throw new Error(`${container.name} reads ${kind} ${ref.name}, which the overlay does not define`);
    for (const [key, value] of Object.entries(found.data ?? {}))
      env[key] = kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  for (const { name, value } of container.env ?? []) env[name] = value;
  return env;
}

describe('deploy/k8s (Kustomize bases and the example overlay)', () => {
  it.each(yamlFiles(k8sRoot).map((file) => relative(repoRoot, file)))('parses %s as YAML', (file) => {
    const documents = parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8'));
    expect(documents.flatMap((document) => document.errors.map((error) => error.message))).toEqual([]);
  });

  it.each(['base/gyre.env', 'overlays/example/gyre.env'])('sets only documented settings in %s', (file) => {
    const keys = Object.keys(readDotEnv(join(k8sRoot, file)));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !documented.includes(key))).toEqual([]);
  });

  describe('rendered with kubectl kustomize', () => {
    let manifests: Manifest[];
    let containers: Map<string, Container>;

    beforeAll(() => {
      manifests = renderOverlay();
      containers = containersOf(manifests);
    });

    it('has an API, general workers and one Deployment per scaled stage', () => {
      expect([...containers.keys()].sort()).toEqual([
        'gyre-api',
        'gyre-stage-fraud-infer',
        'gyre-stage-fraud-prepare',
        'gyre-workers',
      ]);
    });

    it.each(['gyre-api', 'gyre-workers', 'gyre-stage-fraud-prepare', 'gyre-stage-fraud-infer'])(
      'gives %s only documented settings, and a configuration the config schema accepts',
      (name) => {
        const env = environmentOf(containers.get(name)!, manifests);
        expect(Object.keys(env).filter((key) => !documented.includes(key))).toEqual([]);

        const config = parseGyreConfig(env);
        expect(config.pulsar.serviceUrl).toBe('pulsar://pulsar-broker.pulsar.svc.cluster.local:6650');
        expect([config.api.host, config.workers.host]).toEqual(['0.0.0.0', '0.0.0.0']);
      },
    );

    it('runs the commands and ports of the Dockerfile, with probes on /health', () => {
      const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)![1].split(' ').map(Number);
      expect(dockerfile).toContain('CMD ["node", "dist/apps/api/src/main.js"]');
      for (const [name, container] of containers) {
        const role = name === 'gyre-api' ? 'api' : 'workers';
        expect(container.command).toEqual(['node', `dist/apps/${role}/src/main.js`]);
        const port = container.ports[0].containerPort;
        expect(exposed).toContain(port);
        const env = environmentOf(container, manifests);
        expect(Number(env[role === 'api' ? 'API_PORT' : 'WORKERS_PORT'])).toBe(port);
      }
      const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
      for (const deployment of deployments) {
        const spec = deployment.spec?.template as { spec: { containers: Record<string, unknown>[] } };
        expect(spec.spec.containers[0]).toMatchObject({
          readinessProbe: { httpGet: { path: '/health', port: 'http' } },
          resources: { requests: { cpu: expect.any(String), memory: expect.any(String) } },
        });
      }
    });

    it('limits each stage Deployment to its stage and leaves the others and replays to the general workers', () => {
      const stagesOf = (name: string) => parseGyreConfig(environmentOf(containers.get(name)!, manifests));
      expect(stagesOf('gyre-stage-fraud-prepare').workers.stages).toEqual(['fraud/prepare']);
      expect(stagesOf('gyre-stage-fraud-infer').workers.stages).toEqual(['fraud/infer']);
      expect(stagesOf('gyre-stage-fraud-prepare').replay.maxConcurrentJobs).toBe(0);
      expect(stagesOf('gyre-workers').workers.stages).toEqual([
        'fraud/feedback-predictions',
        'fraud/feedback-labels',
        'fraud/train',
      ]);
    });

    it("scales each stage Deployment with KEDA's Pulsar scaler on that stage's subscription", () => {
      const scaled = manifests.filter((manifest) => manifest.kind === 'ScaledObject');
      const targets = scaled.map((object) => {
        const spec = object.spec as {
          scaleTargetRef: { name: string };
          triggers: { type: string; metadata: Record<string, string> }[];
        };
        const [trigger] = spec.triggers;
        expect(trigger.type).toBe('pulsar');
        expect(trigger.metadata.isPartitionedTopic).toBe('true');
        return `${spec.scaleTargetRef.name} <- ${trigger.metadata.topic} / ${trigger.metadata.subscription}`;
      });
      expect(targets.sort()).toEqual([
        'gyre-stage-fraud-infer <- persistent://gyre/streams/features / loop.infer',
        'gyre-stage-fraud-prepare <- persistent://gyre/streams/transactions / loop.prepare',
      ]);
    });
  });
});
