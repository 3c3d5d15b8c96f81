import * as http from 'node:http';
import * as https from 'node:https';
import type * as tls from 'node:tls';
import {
  BrokerError,
  ConnectionError,
  InvalidArgumentError,
  PulsarClientError,
  TimeoutError,
} from '../errors';
import type { Authentication } from '../connection/auth';
import { TopicsMode } from '../codec/protocol';
import { fullTopicName } from './topic-name';

export interface HttpLookupOptions {
  authentication?: Authentication;
  tlsOptions?: tls.ConnectionOptions;
  useTls?: boolean;
  listenerName?: string;
  maxRedirects?: number;
  timeoutMs: number;
}

/** `http(s)://host:port[,host2:port]`: the broker's (or proxy's) web service; several hosts are rotated. */
export function parseHttpServiceUrl(serviceUrl: string): string[] {
  const match = /^(https?):\/\/(.+)$/i.exec(serviceUrl.trim());
  if (!match) throw new InvalidArgumentError(`InvalidUrl: not an HTTP service URL: ${serviceUrl}`);
  return match[2].split(',').map((host) => {
    try {
      return new URL(`${match[1].toLowerCase()}://${host.replace(/\/$/, '')}`).origin;
    } catch {
      throw new InvalidArgumentError(`InvalidUrl: not an HTTP service URL: ${serviceUrl}`);
    }
  });
}

/** `persistent://t/ns/x` → `persistent/t/ns/x`, the REST form of a topic name. */
export function restTopicPath(topic: string): string {
  const [domain, rest] = fullTopicName(topic).split('://');
  const [tenant, namespace, ...local] = rest.split('/');
  return [domain, tenant, namespace, encodeURIComponent(local.join('/'))].join('/');
}

interface HttpResult {
  status: number;
  body: string;
}

/**
 * Topic lookup, partition metadata and namespace listings over the broker's REST endpoints (what the
 * official clients do for an `http(s)://` service URL); the data then flows over the binary protocol to
 * the broker URL the lookup names. The web service redirects a lookup to the owner broker (307).
 */
export class HttpLookup {
  private next = 0;

  constructor(
    private readonly baseUrls: readonly string[],
    private readonly options: HttpLookupOptions,
  ) {}

  /** The owner broker's binary URL (`pulsar+ssl://` one when the client uses TLS). */
  async lookup(topic: string): Promise<string> {
    const query = this.options.listenerName
      ? `?listenerName=${encodeURIComponent(this.options.listenerName)}`
      : '';
    const data = (await this.getJson(
      `/lookup/v2/topic/${restTopicPath(topic)}${query}`,
      `lookup of ${topic}`,
    )) as {
      brokerUrl?: string;
      brokerUrlTls?: string;
      brokerUrlSsl?: string;
    };
    // Brokers name the TLS URL brokerUrlTls in their docs and brokerUrlSsl in their JSON: take either.
    const tlsUrl = data.brokerUrlTls || data.brokerUrlSsl;
    const url = this.options.useTls ? tlsUrl || data.brokerUrl : data.brokerUrl;
    if (!url)
      throw new PulsarClientError('LOOKUP_FAILED', `lookup of ${topic} returned no broker URL`, {
        retriable: true,
      });
    return url;
  }

  async getPartitionedTopicMetadata(topic: string): Promise<number> {
    const path = `/admin/v2/${restTopicPath(topic)}/partitions?checkAllowAutoCreation=true`;
    const data = (await this.getJson(path, `partition metadata of ${topic}`)) as { partitions?: number };
    return data.partitions ?? 0;
  }

  async getTopicsOfNamespace(namespace: string, mode: TopicsMode): Promise<string[]> {
    const modeName =
      mode === TopicsMode.NON_PERSISTENT ? 'NON_PERSISTENT' : mode === TopicsMode.ALL ? 'ALL' : 'PERSISTENT';
    const topics = await this.getJson(
      `/admin/v2/namespaces/${namespace}/topics?mode=${modeName}`,
      `topics of ${namespace}`,
    );
    return Array.isArray(topics) ? topics.map(String) : [];
  }

  private async getJson(path: string, what: string): Promise<unknown> {
    const base = this.baseUrls[this.next++ % this.baseUrls.length];
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = this.options.authentication;
    if (auth?.authMethodName === 'token')
      headers.authorization = `Bearer ${(await auth.getAuthData()).toString('utf8')}`;
    let url = new URL(path, base);
    const maxRedirects = this.options.maxRedirects ?? 20;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      const result = await this.get(url, headers, what);
      if (result.status >= 300 && result.status < 400 && result.body) {
        url = new URL(result.body, url);
        continue;
      }
      if (result.status === 200) return JSON.parse(result.body) as unknown;
      throw this.failure(result, what);
    }
    throw new PulsarClientError('TOO_MANY_REDIRECTS', `${what} redirected more than ${maxRedirects} times`, {
      retriable: true,
    });
  }

  /** One GET; a redirect comes back with its Location as the body. */
  private get(url: URL, headers: Record<string, string>, what: string): Promise<HttpResult> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.get(
        url,
        {
          headers,
          timeout: this.options.timeoutMs,
          ...(url.protocol === 'https:' ? this.options.tlsOptions : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const location = response.headers.location;
            resolve({
              status,
              body: status >= 300 && status < 400 ? (location ?? '') : Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new TimeoutError('TIMEOUT', `${what} over HTTP timed out`)),
      );
      request.on('error', (error) =>
        reject(
          error instanceof PulsarClientError
            ? error
            : new ConnectionError('CONNECTION_FAILED', `${what} over HTTP failed: ${error.message}`, error),
        ),
      );
    });
  }

  private failure(result: HttpResult, what: string): Error {
    let reason = result.body;
    try {
      reason = (JSON.parse(result.body) as { reason?: string }).reason ?? reason;
    } catch {
      // not JSON: keep the text
    }
    const code =
      result.status === 404
        ? 'TopicNotFound'
        : result.status === 401 || result.status === 403
          ? 'AuthorizationError'
          : 'LookupError';
    return new BrokerError(code, `${what} failed over HTTP (${result.status}): ${reason}`);
  }
}
