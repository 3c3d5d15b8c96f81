import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../errors';
import { ensureServiceUp, ServiceStatus } from '../service-lifecycle';
import { StackSettings } from '../settings';
import { isAlive, readPid, ServiceProcess, stopProcessGroup } from '../supervisor';
import { CLUSTER_NAME, CLUSTER_PORTS, clusterDir, clusterEndpoints, clusterEnvFile } from './cluster-layout';
import {
  bookieProcess,
  brokerProcess,
  metadataSetupArgs,
  proxyProcess,
  zookeeperProcess,
} from './cluster-processes';
import { bookieHealthy, clusterBrokerHealthy, proxyHealthy, zookeeperHealthy } from './health';

type Report = (line: string) => void;

interface Part {
  service: ServiceProcess;
  ports: number[];
  healthy: () => Promise<boolean>;
  url: string;
}

/**
 * A real Pulsar cluster on this machine from the Maven-resolved distribution: ZooKeeper, two bookies, two
 * brokers and the proxy, each its own JVM and process group under .data/pulsar-cluster. Idempotent: parts
 * already up and healthy are left alone; each part is started only once those it needs are healthy.
 */
export class PulsarCluster {
  constructor(
    private readonly settings: StackSettings,
    private readonly java = 'java',
    private readonly report: Report = () => undefined,
  ) {}

  zookeeper(): Part {
    return {
      service: zookeeperProcess(this.java),
      ports: [CLUSTER_PORTS.zookeeper],
      healthy: zookeeperHealthy,
      url: `zk:127.0.0.1:${CLUSTER_PORTS.zookeeper}`,
    };
  }

  bookie(index: number): Part {
    return {
      service: bookieProcess(this.java, index),
      ports: [CLUSTER_PORTS.bookies[index]],
      healthy: () => bookieHealthy(index),
      url: `bookie 127.0.0.1:${CLUSTER_PORTS.bookies[index]}`,
    };
  }

  broker(index: number): Part {
    const ports = CLUSTER_PORTS.brokers[index];
    return {
      service: brokerProcess(this.java, index, this.settings),
      ports: [ports.broker, ports.web],
      healthy: () => clusterBrokerHealthy(index),
      url: `${clusterEndpoints.brokerServiceUrls[index]} (admin ${clusterEndpoints.brokerAdminUrls[index]})`,
    };
  }

  proxy(): Part {
    return {
      service: proxyProcess(this.java),
      ports: [CLUSTER_PORTS.proxy.broker, CLUSTER_PORTS.proxy.web],
      healthy: proxyHealthy,
      url: `${clusterEndpoints.serviceUrl} (admin ${clusterEndpoints.adminUrl})`,
    };
  }

  async up(): Promise<ServiceStatus[]> {
    mkdirSync(clusterDir, { recursive: true });
    const zookeeper = await this.ensure(this.zookeeper(), 60_000);
    this.initializeMetadataOnce();
    const bookies = await Promise.all([0, 1].map((i) => this.ensure(this.bookie(i), 120_000)));
    const brokers = await Promise.all([0, 1].map((i) => this.ensure(this.broker(i), 240_000)));
    const proxy = await this.ensure(this.proxy(), 120_000);
    return [zookeeper, ...bookies, ...brokers, proxy];
  }

  /** Restarts one broker (after a test killed it) and waits for its health. */
  async upBroker(index: number): Promise<ServiceStatus> {
    return this.ensure(this.broker(index), 240_000);
  }

  /** Proxy first and ZooKeeper last, so brokers can hand their bundles over while the store still answers. */
  async down(): Promise<string[]> {
    const stopped: string[] = [];
    for (const part of [this.proxy(), this.broker(0), this.broker(1), this.bookie(0), this.bookie(1)]) {
      if (await stopProcessGroup(part.service.pidFile, 20_000)) stopped.push(part.service.name);
    }
    if (await stopProcessGroup(this.zookeeper().service.pidFile, 10_000)) stopped.push('zookeeper');
    return stopped;
  }

  async status(): Promise<ServiceStatus[]> {
    const parts = this.parts();
    return Promise.all(
      parts.map(async ({ service, healthy, url }) => {
        const pid = readPid(service.pidFile);
        if (!isAlive(pid)) return { name: service.name, state: 'down' as const, url, log: service.logFile };
        return {
          name: service.name,
          state: (await healthy()) ? ('up' as const) : ('unhealthy' as const),
          url,
          pid,
          log: service.logFile,
        };
      }),
    );
  }

  parts(): Part[] {
    return [this.zookeeper(), this.bookie(0), this.bookie(1), this.broker(0), this.broker(1), this.proxy()];
  }

  logFiles(): Record<string, string> {
    return Object.fromEntries(
      this.parts().map(({ service }) => [service.name, join(service.cwd, 'logs', 'pulsar.log')]),
    );
  }

  /** Writes the endpoints of the cluster (the proxy) with the supporting services' for tests and apps. */
  writeEnv(supporting: Record<string, string>): void {
    const endpoints = {
      ...supporting,
      PULSAR_SERVICE_URL: clusterEndpoints.serviceUrl,
      PULSAR_ADMIN_URL: clusterEndpoints.adminUrl,
      PULSAR_CLUSTER: CLUSTER_NAME,
    };
    const header = '# Written by `npm run stack -- up --cluster`: the local Pulsar cluster behind its proxy.';
    const lines = Object.entries(endpoints).map(([key, value]) => `${key}=${value}`);
    writeFileSync(clusterEnvFile, [header, ...lines, ''].join('\n'), { mode: 0o600 });
  }

  private async ensure(part: Part, timeoutMs: number): Promise<ServiceStatus> {
    const status = await ensureServiceUp(part.service, part.ports, part.healthy, timeoutMs, this.report);
    return { ...status, url: part.url };
  }

  /** initialize-cluster-metadata runs once per cluster; a marker beside the store's data records it. */
  private initializeMetadataOnce(): void {
    const marker = join(clusterDir, 'zookeeper', 'data', 'gyre-cluster-initialized');
    if (existsSync(marker)) return;
    this.report('initialising the cluster metadata (initialize-cluster-metadata)');
    const result = spawnSync(this.java, metadataSetupArgs(), {
      cwd: join(clusterDir, 'zookeeper'),
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' ');
      throw new StackError(
        `initialize-cluster-metadata failed (exit ${result.status}): ${output}`,
        'CLUSTER_METADATA_FAILED',
      );
    }
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
}
