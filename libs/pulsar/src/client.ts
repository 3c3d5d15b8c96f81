import { readFileSync } from 'node:fs';
import type * as tls from 'node:tls';
import { initCompression } from './codec/compression';
import { ClientContext } from './client-context';
import { Authentication } from './connection/auth';
import { ConnectionPool } from './connection/pool';
import { SocketFactory, defaultSocketFactory, parseServiceUrl } from './connection/socket';
import { validateConfig } from './config-rules';
import { AlreadyClosedError, PulsarClientError } from './errors';
import { ClientEventName, ClientEvents, Instrumentation } from './events';
import { HttpLookup, parseHttpServiceUrl } from './lookup/http-lookup';
import { LookupService } from './lookup/lookup-service';
import {
  AutoClusterFailoverConfig,
  ClusterFailover,
  ServiceInfo,
  resolveFailoverConfig,
  tcpProbe,
} from './lookup/cluster-failover';
import { fullTopicName, partitionTopicName } from './lookup/topic-name';
import { Consumer, ConsumerConfig } from './consumer/consumer';
import { Producer } from './producer/producer';
import { ProducerConfig } from './producer/options';
import { Reader, ReaderConfig } from './reader/reader';
import { BackoffOptions } from './retry';
import { CoordinatorClient } from './transaction/coordinator-client';
import { Transaction } from './transaction/transaction';

export interface TransactionOptions {
  /** The coordinator aborts the transaction if it is not committed within this time (60 s by default). */
  timeoutMs?: number;
}

export interface ClientConfig {
  /**
   * `pulsar://host:6650`, `pulsar+ssl://host:6651`, several hosts (`pulsar://h1:6650,h2:6650`), or the web
   * service, `http://host:8080` / `https://host:8443`: lookups over HTTP, then the binary protocol.
   * Exactly one of `serviceUrl` and `serviceUrlProvider` is given.
   */
  serviceUrl?: string;
  /** Automatic failover between clusters (the official AutoClusterFailover); binary service URLs only. */
  serviceUrlProvider?: AutoClusterFailoverConfig;
  authentication?: Authentication;
  operationTimeoutSeconds?: number;
  connectionTimeoutMs?: number;
  keepAliveIntervalSeconds?: number;
  tlsTrustCertsFilePath?: string;
  tlsCertificateFilePath?: string;
  tlsPrivateKeyFilePath?: string;
  tlsValidateHostname?: boolean;
  tlsAllowInsecureConnection?: boolean;
  listenerName?: string;
  maxLookupRedirects?: number;
  /** Reconnect backoff (100 ms doubling to 60 s, 20 % jitter by default). */
  backoff?: BackoffOptions;
  /** Replaces TCP/TLS (tests, proxies, custom transports). */
  socketFactory?: SocketFactory;
}

/** Entry point, as in the official client: one client, one pooled connection per broker. */
export class Client {
  private readonly pool: ConnectionPool;
  private readonly context: ClientContext;
  private readonly instrumentation = new Instrumentation();
  private readonly closeables = new Set<{ close(): Promise<null> }>();
  private readonly ready: Promise<void>;
  private coordinator?: CoordinatorClient;
  private failoverTimer?: NodeJS.Timeout;
  private closed = false;

  /** Throws InvalidArgumentError ("InvalidConfiguration: ...") for a bad or unsupported option. */
  constructor(private readonly config: ClientConfig) {
    validateConfig('client', config);
    const provider = config.serviceUrlProvider && resolveFailoverConfig(config.serviceUrlProvider);
    const serviceUrl = provider ? provider.primary.serviceUrl : (config.serviceUrl as string);
    const overHttp = /^https?:\/\//i.test(serviceUrl.trim());
    const serviceUrls = overHttp ? parseHttpServiceUrl(serviceUrl) : parseServiceUrl(serviceUrl);
    const useTls = /^(pulsar\+ssl|https):\/\//.test(serviceUrls[0]);
    const operationTimeoutMs = (config.operationTimeoutSeconds ?? 30) * 1000;
    this.pool = new ConnectionPool({
      socketFactory: config.socketFactory ?? defaultSocketFactory,
      authentication: provider?.primary.authentication ?? config.authentication,
      connectionTimeoutMs: config.connectionTimeoutMs ?? 10_000,
      operationTimeoutMs,
      keepAliveIntervalMs: (config.keepAliveIntervalSeconds ?? 30) * 1000,
      tlsOptions: useTls ? tlsOptions(config, provider?.primary) : undefined,
      instrumentation: this.instrumentation,
    });
    let nextProducerId = 0;
    let nextConsumerId = 0;
    this.context = {
      lookup: new LookupService(this.pool, overHttp ? [] : serviceUrls, {
        useTls,
        listenerName: config.listenerName,
        maxRedirects: config.maxLookupRedirects,
        onRedirect: (redirect) => this.instrumentation.emit('lookupRedirected', () => redirect),
        http: overHttp
          ? new HttpLookup(serviceUrls, {
              authentication: config.authentication,
              tlsOptions: useTls ? tlsOptions(config) : undefined,
              useTls,
              listenerName: config.listenerName,
              maxRedirects: config.maxLookupRedirects,
              timeoutMs: operationTimeoutMs,
            })
          : undefined,
      }),
      instrumentation: this.instrumentation,
      backoff: config.backoff ?? {},
      operationTimeoutMs,
      newProducerId: () => nextProducerId++,
      newConsumerId: () => nextConsumerId++,
    };
    this.ready = initCompression();
    if (provider) {
      const failover = new ClusterFailover(provider, tcpProbe(config.connectionTimeoutMs ?? 10_000));
      this.watchClusters(failover, provider.checkIntervalMs);
    }
  }

  /** serviceUrlProvider: probes the clusters every interval and moves the client when one is switched to. */
  private watchClusters(failover: ClusterFailover, intervalMs: number): void {
    this.failoverTimer = setTimeout(() => {
      const from = failover.service.serviceUrl;
      void failover
        .check()
        .then((switched) => {
          if (switched && !this.closed) this.useCluster(switched, from);
        })
        .finally(() => {
          if (!this.closed) this.watchClusters(failover, intervalMs);
        });
    }, intervalMs);
    this.failoverTimer.unref();
  }

  /** Later lookups go to `service`; open connections close, so producers and consumers re-attach there. */
  private useCluster(service: ServiceInfo, from: string): void {
    const urls = parseServiceUrl(service.serviceUrl);
    const useTls = urls[0].startsWith('pulsar+ssl://');
    this.context.lookup.useCluster(urls, useTls);
    this.pool.switchCluster({
      authentication: service.authentication ?? this.config.authentication,
      tlsOptions: useTls ? tlsOptions(this.config, service) : undefined,
    });
    this.instrumentation.emit('clusterSwitched', () => ({ from, to: service.serviceUrl }));
  }

  /** Subscribes to client events; returns the unsubscribe function. Unobserved events cost nothing. */
  on<K extends ClientEventName>(name: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.instrumentation.on(name, listener);
  }

  /**
   * The official client's static log hook: refused, this client never logs (use `client.on`).
   * Present so a ported call fails with a clear error, not "is not a function".
   */
  static setLogHandler(_handler: unknown): never {
    throw new PulsarClientError(
      'NOT_SUPPORTED',
      'Client.setLogHandler is not supported by @gyre/pulsar: the client never logs, subscribe to its events with client.on',
    );
  }

  async createProducer(config: ProducerConfig): Promise<Producer> {
    validateConfig('producer', config);
    await this.beforeCreate();
    return this.track(await Producer.create(this.context, config));
  }

  async subscribe(config: ConsumerConfig): Promise<Consumer> {
    validateConfig('consumer', config);
    await this.beforeCreate();
    return this.track(
      await Consumer.create(this.context, config, (producerConfig) => this.createProducer(producerConfig)),
    );
  }

  async createReader(config: ReaderConfig): Promise<Reader> {
    validateConfig('reader', config);
    await this.beforeCreate();
    return this.track(await Reader.create(this.context, config));
  }

  /**
   * Opens a transaction (the broker needs transactionCoordinatorEnabled=true): pass it to
   * producer.send and consumer.acknowledge, then commit() or abort(), as with the Java client.
   */
  async newTransaction(options: TransactionOptions = {}): Promise<Transaction> {
    await this.beforeCreate();
    this.coordinator ??= new CoordinatorClient(this.context);
    const id = await this.coordinator.newTransaction(options.timeoutMs ?? 60_000);
    return new Transaction(id, this.coordinator);
  }

  /** The partition topic names, or the topic itself when it is not partitioned. */
  async getPartitionsForTopic(topic: string): Promise<string[]> {
    const full = fullTopicName(topic);
    const count = await this.context.lookup.getPartitionedTopicMetadata(full);
    return count === 0
      ? [full]
      : Array.from({ length: count }, (_, index) => partitionTopicName(full, index));
  }

  /** Closes every producer, consumer and reader made by this client (draining producers), then the connections. */
  /** Resolves with `null`, as the official client. */
  async close(): Promise<null> {
    if (this.closed) return null;
    this.closed = true;
    clearTimeout(this.failoverTimer);
    await Promise.allSettled([...this.closeables].map((closeable) => closeable.close()));
    await this.pool.close();
    return null;
  }

  private async beforeCreate(): Promise<void> {
    if (this.closed) throw new AlreadyClosedError('client');
    await this.ready;
  }

  private track<T extends { close(): Promise<null> }>(closeable: T): T {
    this.closeables.add(closeable);
    const close = closeable.close.bind(closeable);
    closeable.close = () => {
      this.closeables.delete(closeable);
      return close();
    };
    return closeable;
  }
}

/** The TLS settings of the client, with a cluster's own trusted CA (serviceUrlProvider) when it names one. */
function tlsOptions(config: ClientConfig, service?: ServiceInfo): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = { rejectUnauthorized: !config.tlsAllowInsecureConnection };
  // Only set keys: an explicit `checkServerIdentity: undefined` replaces Node's default and breaks connect.
  const trustCerts = service?.tlsTrustCertsFilePath ?? config.tlsTrustCertsFilePath;
  if (trustCerts) options.ca = readFileSync(trustCerts);
  if (config.tlsCertificateFilePath) options.cert = readFileSync(config.tlsCertificateFilePath);
  if (config.tlsPrivateKeyFilePath) options.key = readFileSync(config.tlsPrivateKeyFilePath);
  if (config.tlsValidateHostname === false) options.checkServerIdentity = () => undefined;
  return options;
}
