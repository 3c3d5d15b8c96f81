import { BrokerError, PulsarClientError } from '../errors';
import { CommandType, ServerError, TopicsMode } from '../codec/protocol';
import { Connection } from '../connection/connection';
import { ConnectionPool } from '../connection/pool';
import type { HttpLookup } from './http-lookup';

export interface BrokerLocation {
  /** The broker that owns the topic. */
  logicalUrl: string;
  /** Where to open the socket: the broker itself, or the proxy when the lookup said so. */
  physicalUrl: string;
}

export interface LookupOptions {
  maxRedirects?: number;
  useTls?: boolean;
  listenerName?: string;
  /** Set for an `http(s)://` service URL: lookups and metadata go over the web service instead. */
  http?: HttpLookup;
  /** Called for each redirect a broker answers (the client's `lookupRedirected` event). */
  onRedirect?: (redirect: { topic: string; from: string; to: string; authoritative: boolean }) => void;
}

const LOOKUP_REDIRECT = 0;
const LOOKUP_CONNECT = 1;
const PARTITIONS_FAILED = 1;

/** Binary-protocol topic lookup (with redirects and the authoritative flag) and partition metadata. */
export class LookupService {
  private nextService = 0;

  constructor(
    private readonly pool: ConnectionPool,
    private serviceUrls: readonly string[],
    private readonly options: LookupOptions = {},
  ) {}

  /** Looks topics up in another cluster from now on (serviceUrlProvider switched). */
  useCluster(serviceUrls: readonly string[], useTls: boolean): void {
    this.serviceUrls = serviceUrls;
    this.nextService = 0;
    this.options.useTls = useTls;
  }

  async lookup(topic: string): Promise<BrokerLocation> {
    if (this.options.http) {
      const brokerUrl = await this.options.http.lookup(topic);
      return { logicalUrl: brokerUrl, physicalUrl: brokerUrl };
    }
    const maxRedirects = this.options.maxRedirects ?? 20;
    let physicalUrl = this.serviceUrl();
    let connection = await this.pool.getConnection(physicalUrl);
    let authoritative = false;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      const requestId = connection.newRequestId();
      const reply = await connection.request(
        {
          type: CommandType.LOOKUP,
          lookup: {
            topic,
            request_id: requestId,
            authoritative,
            advertised_listener_name: this.options.listenerName,
          },
        },
        requestId,
      );
      const response = reply.lookup_response!;
      if (response.response !== LOOKUP_REDIRECT && response.response !== LOOKUP_CONNECT) {
        throw this.failure(response.error, response.message ?? `lookup of ${topic} failed`);
      }
      const brokerUrl = this.options.useTls
        ? response.brokerServiceUrlTls || response.brokerServiceUrl
        : response.brokerServiceUrl;
      if (!brokerUrl)
        throw new PulsarClientError('LOOKUP_FAILED', `lookup of ${topic} returned no broker URL`, {
          retriable: true,
        });
      const proxied = response.proxy_through_service_url === true;
      if (response.response === LOOKUP_CONNECT)
        return { logicalUrl: brokerUrl, physicalUrl: proxied ? physicalUrl : brokerUrl };
      authoritative = response.authoritative === true;
      this.options.onRedirect?.({ topic, from: connection.logicalUrl, to: brokerUrl, authoritative });
      if (!proxied) physicalUrl = brokerUrl;
      connection = await this.pool.getConnection(brokerUrl, physicalUrl);
    }
    throw new PulsarClientError(
      'TOO_MANY_REDIRECTS',
      `lookup of ${topic} redirected more than ${maxRedirects} times`,
      { retriable: true },
    );
  }

  /** Number of partitions; 0 means the topic is not partitioned. */
  async getPartitionedTopicMetadata(topic: string): Promise<number> {
    if (this.options.http) return this.options.http.getPartitionedTopicMetadata(topic);
    const connection = await this.pool.getConnection(this.serviceUrl());
    const requestId = connection.newRequestId();
    const reply = await connection.request(
      { type: CommandType.PARTITIONED_METADATA, partition_metadata: { topic, request_id: requestId } },
      requestId,
    );
    const response = reply.partition_metadata_response!;
    if (response.response === PARTITIONS_FAILED)
      throw this.failure(response.error, response.message ?? `partition metadata of ${topic} failed`);
    return response.partitions ?? 0;
  }

  /**
   * The topics of `namespace` (`tenant/ns`), partitions listed one by one. With `pattern`, a broker that
   * evaluates patterns returns only the matches; callers filter again, as older brokers return all.
   */
  async getTopicsOfNamespace(namespace: string, mode: TopicsMode, pattern?: string): Promise<string[]> {
    if (this.options.http) return this.options.http.getTopicsOfNamespace(namespace, mode);
    const connection = await this.pool.getConnection(this.serviceUrl());
    const requestId = connection.newRequestId();
    const reply = await connection.request(
      {
        type: CommandType.GET_TOPICS_OF_NAMESPACE,
        get_topics_of_namespace: { request_id: requestId, namespace, mode, topics_pattern: pattern },
      },
      requestId,
    );
    return reply.get_topics_of_namespace_response?.topics ?? [];
  }

  /** A connection to the broker that owns `topic`. */
  async connectionFor(topic: string, assignedUrl?: string): Promise<Connection> {
    if (assignedUrl) return this.pool.getConnection(assignedUrl);
    const location = await this.lookup(topic);
    return this.pool.getConnection(location.logicalUrl, location.physicalUrl);
  }

  private serviceUrl(): string {
    const url = this.serviceUrls[this.nextService % this.serviceUrls.length];
    this.nextService++;
    return url;
  }

  private failure(code: number | undefined, message: string): Error {
    return new BrokerError(
      code === undefined ? 'UnknownError' : (ServerError[code] ?? String(code)),
      message,
    );
  }
}
