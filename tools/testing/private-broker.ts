import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerHealthy, pulsarBrokerProcess } from '../stack/pulsar-broker';
import { ensureServiceUp } from '../stack/service-lifecycle';
import { readStackSettings } from '../stack/settings';
import { killProcessGroup, ServiceProcess, stopProcessGroup } from '../stack/supervisor';
import { freePort } from './app-process';
import { waitFor } from './wait-for';

export interface PrivateBrokerPorts {
  broker: number;
  web: number;
  bookie: number;
  /** Also serve pulsar+ssl:// here (set the tls* broker options in extraConfig). */
  brokerTls?: number;
}

/** Ports nobody listens on now, so a private broker never collides with another checkout's stack. */
export async function freeBrokerPorts(options: { tls?: boolean } = {}): Promise<PrivateBrokerPorts> {
  return {
    broker: await freePort(),
    web: await freePort(),
    bookie: await freePort(),
    ...(options.tls ? { brokerTls: await freePort() } : {}),
  };
}

export interface PrivateBrokerOptions {
  /** broker.conf lines (authentication, TLS files...), applied after the generated ones. */
  extraConfig?: Record<string, string>;
  /** A super-user token for the health check and admin calls when authentication is enabled. */
  adminToken?: string;
}

/**
 * A Pulsar standalone of the test's own (ports and data dir apart from the shared stack's broker), so a
 * test may stop and restart it. Data survives restarts; stop({ wipe: true }) removes it.
 */
export class PrivateBroker {
  private readonly service: ServiceProcess;

  private readonly adminToken?: string;

  private constructor(
    readonly ports: PrivateBrokerPorts,
    private readonly dir: string,
    options: PrivateBrokerOptions,
  ) {
    const stack = readStackSettings();
    const settings = { ...stack, pulsar: { ...stack.pulsar, brokerPort: ports.broker, webPort: ports.web } };
    const tls: Record<string, string> =
      ports.brokerTls === undefined ? {} : { brokerServicePortTls: String(ports.brokerTls) };
    this.service = pulsarBrokerProcess('java', settings, {
      name: `pulsar-private-${ports.broker}`,
      dir,
      bookkeeperPort: ports.bookie,
      extraConfig: { ...tls, ...options.extraConfig },
    });
    this.adminToken = options.adminToken;
  }

  static async start(ports: PrivateBrokerPorts, options: PrivateBrokerOptions = {}): Promise<PrivateBroker> {
    const broker = new PrivateBroker(ports, mkdtempSync(join(tmpdir(), 'gyre-private-pulsar-')), options);
    try {
      await broker.up();
    } catch (error) {
      await broker.stop({ wipe: true });
      throw error;
    }
    return broker;
  }

  get serviceUrl(): string {
    return `pulsar://127.0.0.1:${this.ports.broker}`;
  }

  get serviceUrlTls(): string {
    return `pulsar+ssl://127.0.0.1:${this.ports.brokerTls}`;
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.ports.web}`;
  }

  /**
   * Starts the broker (again) on the same data and waits until its health check answers and standalone has
   * created the public/default namespace, which it does after the broker already reports healthy.
   */
  async up(): Promise<void> {
    await ensureServiceUp(
      this.service,
      [
        this.ports.broker,
        this.ports.web,
        this.ports.bookie,
        ...(this.ports.brokerTls ? [this.ports.brokerTls] : []),
      ],
      () => brokerHealthy(this.ports.web, this.adminToken),
      180_000,
    );
    await waitFor(() => this.admin('GET', '/admin/v2/namespaces/public/default').then(() => true), {
      timeoutMs: 120_000,
      description: `public/default on the private broker at ${this.adminUrl}`,
    });
  }

  /**
   * Kills the broker and its bookie with SIGKILL (no shutdown hook, nothing flushed by the broker), as a
   * crashed machine process would end; resolves when nothing is left. Data written to disk survives.
   */
  async kill9(): Promise<void> {
    await killProcessGroup(this.service.pidFile);
  }

  /** Stops the broker and its bookie (the whole process group); resolves when nothing is left. */
  async stop({ wipe = false } = {}): Promise<void> {
    await stopProcessGroup(this.service.pidFile, 15_000);
    if (wipe) rmSync(this.dir, { recursive: true, force: true });
  }

  async admin(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.adminUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.adminToken ? { authorization: `Bearer ${this.adminToken}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }
}
