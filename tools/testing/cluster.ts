import { Client } from '@gyre/pulsar';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, clusterEndpoints } from '../stack/cluster/cluster-layout';
import { PulsarCluster } from '../stack/cluster/pulsar-cluster';
import { readStackSettings } from '../stack/settings';
import { isAlive, readPid } from '../stack/supervisor';
import { waitFor } from './wait-for';

export { clusterEndpoints };

/** A client of the cluster: through the proxy by default, or straight at one broker's service URL. */
export function clusterClient(serviceUrl: string = clusterEndpoints.serviceUrl): Client {
  return new Client({ serviceUrl, operationTimeoutSeconds: 30, backoff: { initialMs: 50, maxMs: 1000 } });
}

/** `persistent://tenant/ns/topic` as the admin API's path segment `persistent/tenant/ns/topic`. */
function topicPath(topic: string): string {
  return topic.replace('://', '/');
}

/** An admin call through the proxy (or one broker's admin URL); throws with the broker's answer. */
export async function clusterAdmin<T = unknown>(
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  adminUrl: string = clusterEndpoints.adminUrl,
): Promise<T> {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Which broker (0 or 1) owns `topic` (a partition or an unpartitioned topic) now; a lookup assigns one. */
export async function ownerOf(topic: string): Promise<number> {
  const { brokerUrl } = await clusterAdmin<{ brokerUrl: string }>(
    'GET',
    `/lookup/v2/topic/${topicPath(topic)}`,
  );
  const index = clusterEndpoints.brokerServiceUrls.indexOf(brokerUrl);
  if (index < 0) throw new Error(`${topic} is owned by ${brokerUrl}, not a broker of the cluster`);
  return index;
}

/** The owner as the namespace service sees it right now, without assigning one (undefined: unowned). */
async function currentOwner(topic: string): Promise<number | undefined> {
  try {
    return await ownerOf(topic);
  } catch {
    return undefined;
  }
}

/** The namespace bundle (`0x..._0x...`) that holds `topic`. */
export async function bundleOf(topic: string): Promise<string> {
  const response = await fetch(`${clusterEndpoints.adminUrl}/lookup/v2/topic/${topicPath(topic)}/bundle`);
  const text = await response.text();
  if (!response.ok) throw new Error(`bundle of ${topic}: ${response.status} ${text}`);
  return text.trim();
}

/** Unloads `topic` from its owner; the next lookup assigns it to a broker again. */
export async function unloadTopic(topic: string): Promise<void> {
  await clusterAdmin('PUT', `/admin/v2/${topicPath(topic)}/unload`);
}

/**
 * Moves the bundle of `topic` to the other broker: an unload that names the destination broker, repeated
 * until the owner changed (the load manager may ignore a hint; then it runs again).
 */
export async function transferTopic(topic: string): Promise<number> {
  const from = await ownerOf(topic);
  const to = 1 - from;
  const [, tenant, namespace] = topic.replace('://', '/').split('/');
  const bundle = await bundleOf(topic);
  const destination = `127.0.0.1:${new URL(clusterEndpoints.brokerAdminUrls[to]).port}`;
  await waitFor(
    async () => {
      await clusterAdmin(
        'PUT',
        `/admin/v2/namespaces/${tenant}/${namespace}/${bundle}/unload?destinationBroker=${destination}`,
      );
      return (await ownerOf(topic)) === to;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: `${topic} to move to broker ${to + 1}` },
  );
  return to;
}

/** The local cluster's broker processes: kill -9 and restart, as a crash and its recovery. */
export class ClusterBrokers {
  private readonly cluster = new PulsarCluster(readStackSettings());

  /** SIGKILL to the broker's JVM (no graceful bundle hand-over), then waits until it is gone. */
  async kill9(index: number): Promise<void> {
    const pid = readPid(this.cluster.broker(index).service.pidFile);
    if (pid === undefined) throw new Error(`broker ${index + 1} is not running`);
    process.kill(-pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), { timeoutMs: 30_000, description: `broker ${index + 1} to exit` });
  }

  /** Starts the broker again and waits for its health, so the next test has two brokers. */
  async restart(index: number): Promise<void> {
    await this.cluster.upBroker(index);
  }

  /** Waits until another broker owns `topic` after its owner died (its metadata session expired). */
  async waitForNewOwner(topic: string, dead: number): Promise<number> {
    let owner: number | undefined;
    await waitFor(
      async () => {
        owner = await currentOwner(topic);
        return owner !== undefined && owner !== dead;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 500,
        description: `${topic} to get an owner other than broker ${dead + 1}`,
      },
    );
    return owner!;
  }
}

/** Failover counts go to the test output and .data/pulsar-cluster/failover-counts.jsonl for the report. */
export function reportClusterCounts(scenario: string, counts: object): void {
  const line = JSON.stringify({ at: new Date().toISOString(), scenario, ...counts });
  appendFileSync(join(clusterDir, 'failover-counts.jsonl'), `${line}\n`);
  process.stdout.write(`[cluster] ${scenario}: ${JSON.stringify(counts)}\n`);
}
