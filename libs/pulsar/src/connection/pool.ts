import type * as tls from 'node:tls';
import { Instrumentation } from '../events';
import { Authentication } from './auth';
import { Connection } from './connection';
import { SocketFactory, parseBrokerUrl } from './socket';

export interface ConnectionPoolOptions {
  socketFactory: SocketFactory;
  authentication?: Authentication;
  connectionTimeoutMs: number;
  operationTimeoutMs: number;
  keepAliveIntervalMs: number;
  tlsOptions?: tls.ConnectionOptions;
  instrumentation: Instrumentation;
}

/**
 * One connection per (logical broker, physical address): producers and consumers of every topic a
 * broker owns share it. A closed connection leaves the pool; the next caller opens a fresh one.
 */
export class ConnectionPool {
  private readonly connections = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** `physicalUrl` differs from `logicalUrl` only when going through a proxy. */
  getConnection(logicalUrl: string, physicalUrl: string = logicalUrl): Promise<Connection> {
    const key = `${logicalUrl}|${physicalUrl}`;
    const existing = this.connections.get(key);
    if (existing) return existing;
    const opening = this.open(logicalUrl, physicalUrl);
    this.connections.set(key, opening);
    opening.then(
      (connection) =>
        connection.onClose(() => this.connections.get(key) === opening && this.connections.delete(key)),
      () => this.connections.get(key) === opening && this.connections.delete(key),
    );
    return opening;
  }

  private async open(logicalUrl: string, physicalUrl: string): Promise<Connection> {
    const logical = parseBrokerUrl(logicalUrl);
    const connection = new Connection({
      ...this.options,
      logicalUrl,
      physicalUrl,
      address: parseBrokerUrl(physicalUrl),
      proxyToBrokerUrl: logicalUrl === physicalUrl ? undefined : `${logical.host}:${logical.port}`,
    });
    await connection.connect();
    if (this.closed) connection.close();
    return connection;
  }

  /**
   * Another cluster (serviceUrlProvider switched): later connections use these credentials and TLS
   * settings, and every open connection is closed, so producers and consumers reconnect through a lookup.
   */
  switchCluster(settings: Pick<ConnectionPoolOptions, 'authentication' | 'tlsOptions'>): void {
    this.options.authentication = settings.authentication;
    this.options.tlsOptions = settings.tlsOptions;
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const opening of all)
      opening.then(
        (connection) => connection.close(),
        () => undefined,
      );
  }

  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    const settled = await Promise.allSettled(all);
    for (const result of settled) if (result.status === 'fulfilled') result.value.close();
  }
}
