import { isIP } from 'node:net';

/**
 * The URL a local client reaches an app at, given the address it listens on (API_HOST, WORKERS_HOST):
 * a wildcard address is reached through loopback, an IPv6 address goes in brackets.
 */
export function appUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIP(reachable) === 6 ? `[${reachable}]` : reachable}:${port}`;
}
