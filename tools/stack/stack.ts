import { mkdirSync, writeFileSync } from 'node:fs';
import { PulsarCluster } from './cluster/pulsar-cluster';
import { StackError } from './errors';
import { stackEnvFile, dataDir } from './paths';
import { checkJava, checkRuntimes } from './prerequisites';
import { brokerHealthy, pulsarBrokerProcess } from './pulsar-broker';
import {
  embeddedPostgresRunning,
  embeddedUrl,
  ensureDatabase,
  postgresPaths,
  postgresReachable,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from './postgres-server';
import { ensureBuckets, s3Healthy, s3ServerProcess } from './s3-server';
import { readStackSettings, StackSettings } from './settings';
import { ensureServiceUp, portInUse, ServiceStatus } from './service-lifecycle';
import { isAlive, isPortOpen, readPid, ServiceProcess, stopProcessGroup } from './supervisor';

type Report = (line: string) => void;

export class LocalStack {
  constructor(
    private readonly settings: StackSettings = readStackSettings(),
    private readonly report: Report = () => undefined,
  ) {}

  /** Idempotent: services already up and healthy are left alone. */
  async up(): Promise<ServiceStatus[]> {
    const java = checkJava();
    const [postgres, s3] = await this.upSupporting(java);
    const pulsar = await ensureServiceUp(
      pulsarBrokerProcess(java, this.settings),
      [this.settings.pulsar.webPort, this.settings.pulsar.brokerPort],
      () => brokerHealthy(this.settings.pulsar.webPort),
      240_000,
      this.report,
    );
    this.writeStackEnv();
    return [postgres, s3, { ...pulsar, url: this.pulsarUrl() }];
  }

  /**
   * The multi-node Pulsar cluster (tools/stack/cluster) in place of standalone, with the same Postgres and
   * S3 server; its endpoints go to .data/pulsar-cluster/cluster.env, so stack.env stays the standalone's.
   */
  async upCluster(): Promise<ServiceStatus[]> {
    const java = checkJava();
    const supporting = await this.upSupporting(java);
    const cluster = new PulsarCluster(this.settings, java, this.report);
    const parts = await cluster.up();
    const { PULSAR_SERVICE_URL: _service, PULSAR_ADMIN_URL: _admin, ...rest } = this.endpoints();
    cluster.writeEnv(rest);
    return [...supporting, ...parts];
  }

  async downCluster(): Promise<string[]> {
    return new PulsarCluster(this.settings).down();
  }

  async clusterStatus(): Promise<ServiceStatus[]> {
    return [
      ...(await this.status()).filter((s) => s.name !== 'pulsar'),
      ...(await new PulsarCluster(this.settings).status()),
    ];
  }

  clusterLogFiles(): Record<string, string> {
    return new PulsarCluster(this.settings).logFiles();
  }

  /** Postgres and the S3 server (with its buckets): what both the standalone broker and the cluster need. */
  private async upSupporting(java: string): Promise<ServiceStatus[]> {
    checkRuntimes();
    mkdirSync(dataDir, { recursive: true });
    const postgres = await this.upPostgres();
    const s3 = await ensureServiceUp(
      s3ServerProcess(java, this.settings.s3),
      [this.settings.s3.port],
      () => s3Healthy(this.settings.s3),
      60_000,
      this.report,
    );
    await ensureBuckets(this.settings.s3);
    return [postgres, { ...s3, url: this.s3Url() }];
  }

  /** Stops what the stack started, leaving no process behind; an external DATABASE_URL is not touched. */
  async down(): Promise<string[]> {
    // The cluster too, if it runs: `down` leaves no process of this checkout behind.
    const stopped: string[] = await this.downCluster();
    const java = 'java';
    for (const service of [
      pulsarBrokerProcess(java, this.settings),
      s3ServerProcess(java, this.settings.s3),
    ]) {
      if (await stopProcessGroup(service.pidFile, 30_000)) stopped.push(service.name);
    }
    if (!this.settings.postgres.externalUrl && stopEmbeddedPostgres()) stopped.push('postgres');
    return stopped;
  }

  async status(): Promise<ServiceStatus[]> {
    const java = 'java';
    const s3 = s3ServerProcess(java, this.settings.s3);
    const pulsar = pulsarBrokerProcess(java, this.settings);
    return [
      await this.postgresStatus(),
      await this.processStatus(s3, this.s3Url(), () => s3Healthy(this.settings.s3)),
      await this.processStatus(pulsar, this.pulsarUrl(), () => brokerHealthy(this.settings.pulsar.webPort)),
    ];
  }

  logFiles(): Record<string, string> {
    const java = 'java';
    return {
      postgres: postgresPaths().log,
      s3: s3ServerProcess(java, this.settings.s3).logFile,
      pulsar: pulsarBrokerProcess(java, this.settings).logFile,
      'pulsar-broker': `${pulsarBrokerProcess(java, this.settings).cwd}/logs/pulsar.log`,
    };
  }

  databaseUrl(): string {
    return this.settings.postgres.externalUrl ?? embeddedUrl(this.settings.postgres.embeddedPort);
  }

  private async upPostgres(): Promise<ServiceStatus> {
    const external = this.settings.postgres.externalUrl;
    if (external) {
      if (!(await postgresReachable(external))) {
        throw new StackError(
          `DATABASE_URL is set but Postgres does not answer there: start it, fix the URL, or unset DATABASE_URL to use the embedded Postgres`,
          'POSTGRES_UNREACHABLE',
        );
      }
      return { name: 'postgres', state: 'external', url: redact(external) };
    }
    const port = this.settings.postgres.embeddedPort;
    const started = Date.now();
    let startedInMs: number | undefined;
    if (!embeddedPostgresRunning()) {
      if (await isPortOpen(port)) throw portInUse('postgres', port, 'EMBEDDED_POSTGRES_PORT');
      this.report(`starting postgres (embedded) on 127.0.0.1:${port}`);
      startEmbeddedPostgres(port);
      startedInMs = Date.now() - started;
    }
    await ensureDatabase(port);
    return { name: 'postgres', state: 'up', url: embeddedUrl(port), log: postgresPaths().log, startedInMs };
  }

  private async processStatus(
    service: ServiceProcess,
    url: string,
    healthy: () => Promise<boolean>,
  ): Promise<ServiceStatus> {
    const pid = readPid(service.pidFile);
    if (!isAlive(pid)) return { name: service.name, state: 'down', url, log: service.logFile };
    return {
      name: service.name,
      state: (await healthy()) ? 'up' : 'unhealthy',
      url,
      pid,
      log: service.logFile,
    };
  }

  private async postgresStatus(): Promise<ServiceStatus> {
    const external = this.settings.postgres.externalUrl;
    if (external) {
      return {
        name: 'postgres',
        state: (await postgresReachable(external)) ? 'external' : 'unhealthy',
        url: redact(external),
      };
    }
    const url = embeddedUrl(this.settings.postgres.embeddedPort);
    if (!embeddedPostgresRunning()) return { name: 'postgres', state: 'down', url, log: postgresPaths().log };
    return {
      name: 'postgres',
      state: (await postgresReachable(url)) ? 'up' : 'unhealthy',
      url,
      log: postgresPaths().log,
    };
  }

  /** The endpoints of what this stack runs, as environment variables for the apps and tests. */
  endpoints(): Record<string, string> {
    return {
      PULSAR_SERVICE_URL: `pulsar://127.0.0.1:${this.settings.pulsar.brokerPort}`,
      PULSAR_ADMIN_URL: this.pulsarAdminUrl(),
      S3_ENDPOINT: this.s3Url(),
      S3_FORCE_PATH_STYLE: 'true',
      DATABASE_URL: this.databaseUrl(),
    };
  }

  /**
   * Whether the stack's ports already serve healthy services this checkout did not start (another
   * checkout's stack, or docker-compose): then tests can use them instead of starting a second stack.
   */
  async servedElsewhere(): Promise<boolean> {
    const [pulsar, s3, postgres] = await Promise.all([
      brokerHealthy(this.settings.pulsar.webPort),
      s3Healthy(this.settings.s3),
      postgresReachable(this.databaseUrl()),
    ]);
    return pulsar && s3 && postgres;
  }

  /** Real env and .env still win over this file (see libs/config). */
  private writeStackEnv(): void {
    const header =
      '# Written by `npm run stack -- up`: the endpoints of the local stack. Do not edit; .env and the environment win.';
    const lines = Object.entries(this.endpoints()).map(([key, value]) => `${key}=${value}`);
    writeFileSync(stackEnvFile, [header, ...lines, ''].join('\n'), { mode: 0o600 });
  }

  private s3Url(): string {
    return `http://127.0.0.1:${this.settings.s3.port}`;
  }

  private pulsarAdminUrl(): string {
    return `http://127.0.0.1:${this.settings.pulsar.webPort}`;
  }

  private pulsarUrl(): string {
    return `pulsar://127.0.0.1:${this.settings.pulsar.brokerPort} (admin ${this.pulsarAdminUrl()})`;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@');
}
