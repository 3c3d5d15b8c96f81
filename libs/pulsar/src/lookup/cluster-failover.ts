import { connect } from 'node:net';
import type { Authentication } from '../connection/auth';
import { parseBrokerUrl, parseServiceUrl } from '../connection/socket';
import { InvalidArgumentError } from '../errors';

/** One cluster a client may use, as the official client's ServiceInfo (a bare string is its service URL). */
export interface ServiceInfo {
  serviceUrl: string;
  authentication?: Authentication;
  tlsTrustCertsFilePath?: string;
}

/** The official client's `serviceUrlProvider` (its AutoClusterFailover). */
export interface AutoClusterFailoverConfig {
  primary: string | ServiceInfo;
  secondary: Array<string | ServiceInfo>;
  /** How often the current cluster is probed; 30 000 ms by default. */
  checkIntervalMs?: number;
  /** Consecutive failed probes of the current cluster before switching; 1 by default. */
  failoverThreshold?: number;
  /** Consecutive good probes of the primary, while on a secondary, before switching back; 2 by default. */
  switchBackThreshold?: number;
}

export interface ResolvedFailoverConfig {
  primary: ServiceInfo;
  secondary: ServiceInfo[];
  checkIntervalMs: number;
  failoverThreshold: number;
  switchBackThreshold: number;
}

/** Is some host of this service URL accepting TCP connections? */
export type ServiceProbe = (serviceUrl: string) => Promise<boolean>;

/** Refuses a malformed provider before the client is built (names the field). */
export function resolveFailoverConfig(config: AutoClusterFailoverConfig): ResolvedFailoverConfig {
  if (config === null || typeof config !== 'object')
    throw new InvalidArgumentError('serviceUrlProvider must be an object { primary, secondary, ... }');
  if (!Array.isArray(config.secondary) || config.secondary.length === 0)
    throw new InvalidArgumentError('serviceUrlProvider.secondary must list at least one service');
  const count = (name: 'checkIntervalMs' | 'failoverThreshold' | 'switchBackThreshold', fallback: number) => {
    const value = config[name] ?? fallback;
    if (!Number.isInteger(value) || value < 1)
      throw new InvalidArgumentError(
        `serviceUrlProvider.${name} must be an integer >= 1, got ${String(value)}`,
      );
    return value;
  };
  return {
    primary: serviceInfo(config.primary, 'primary'),
    secondary: config.secondary.map((info, index) => serviceInfo(info, `secondary[${index}]`)),
    checkIntervalMs: count('checkIntervalMs', 30_000),
    failoverThreshold: count('failoverThreshold', 1),
    switchBackThreshold: count('switchBackThreshold', 2),
  };
}

function serviceInfo(info: string | ServiceInfo, name: string): ServiceInfo {
  const resolved = typeof info === 'string' ? { serviceUrl: info } : info;
  if (!resolved || typeof resolved.serviceUrl !== 'string')
    throw new InvalidArgumentError(`serviceUrlProvider.${name} needs a serviceUrl string`);
  // Binary service URLs only: a switch re-points the binary lookup (http(s) lookups are not switched).
  parseServiceUrl(resolved.serviceUrl);
  return resolved;
}

/**
 * Which cluster the client uses, decided one probe round at a time as the C++ engine's AutoClusterFailover:
 * on the primary, `failoverThreshold` failed probes in a row switch to the first secondary that answers; on
 * a secondary, `switchBackThreshold` good probes of the primary in a row switch back, and so does a failed
 * secondary once the primary answers.
 */
export class ClusterFailover {
  private current: ServiceInfo;
  private failures = 0;
  private recoveries = 0;

  constructor(
    private readonly config: ResolvedFailoverConfig,
    private readonly probe: ServiceProbe,
  ) {
    this.current = config.primary;
  }

  get service(): ServiceInfo {
    return this.current;
  }

  /** One round of probes; resolves with the service switched to, or undefined when staying. */
  async check(): Promise<ServiceInfo | undefined> {
    const currentUp = await this.probe(this.current.serviceUrl);
    if (this.current === this.config.primary) {
      if (currentUp) this.failures = 0;
      else if (++this.failures >= this.config.failoverThreshold) {
        for (const secondary of this.config.secondary)
          if (await this.probe(secondary.serviceUrl)) return this.switchTo(secondary);
      }
      return undefined;
    }
    if (currentUp) this.failures = 0;
    const primaryUp = await this.probe(this.config.primary.serviceUrl);
    if (!currentUp && ++this.failures >= this.config.failoverThreshold && primaryUp)
      return this.switchTo(this.config.primary);
    this.recoveries = primaryUp ? this.recoveries + 1 : 0;
    return this.recoveries >= this.config.switchBackThreshold
      ? this.switchTo(this.config.primary)
      : undefined;
  }

  private switchTo(service: ServiceInfo): ServiceInfo {
    this.current = service;
    this.failures = 0;
    this.recoveries = 0;
    return service;
  }
}

/** The default probe: a TCP connection to any host of the URL, within `timeoutMs`. */
export function tcpProbe(timeoutMs: number): ServiceProbe {
  return async (serviceUrl) => {
    for (const url of parseServiceUrl(serviceUrl)) if (await reachable(url, timeoutMs)) return true;
    return false;
  };
}

function reachable(url: string, timeoutMs: number): Promise<boolean> {
  const { host, port } = parseBrokerUrl(url);
  return new Promise((settle) => {
    const socket = connect({ host, port });
    const done = (up: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      settle(up);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
