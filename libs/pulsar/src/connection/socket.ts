import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ConnectionError, InvalidArgumentError, TlsError } from '../errors';

export interface BrokerAddress {
  host: string;
  port: number;
  tls: boolean;
}

export interface SocketOptions extends BrokerAddress {
  connectionTimeoutMs: number;
  tlsOptions?: tls.ConnectionOptions;
}

/** Opens a byte stream to a broker; injectable so tests can run the connection over an in-memory pipe. */
export type SocketFactory = (options: SocketOptions) => Promise<Duplex>;

/** Parses `pulsar://h:6650` / `pulsar+ssl://h:6651` (one host; see {@link parseServiceUrl} for lists). */
export function parseBrokerUrl(url: string): BrokerAddress {
  const match = /^(pulsar|pulsar\+ssl):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(url.trim());
  if (!match) throw new InvalidArgumentError(`not a Pulsar broker URL: ${url}`);
  const secure = match[1] === 'pulsar+ssl';
  return { host: match[2], port: match[3] ? Number(match[3]) : secure ? 6651 : 6650, tls: secure };
}

/** A service URL may list several hosts: `pulsar://h1:6650,h2:6650`. */
export function parseServiceUrl(serviceUrl: string): string[] {
  const match = /^(pulsar(?:\+ssl)?):\/\/(.+)$/.exec(serviceUrl.trim());
  if (!match) throw new InvalidArgumentError(`InvalidUrl: not a Pulsar service URL: ${serviceUrl}`);
  const urls = match[2].split(',').map((host) => `${match[1]}://${host.replace(/\/$/, '')}`);
  urls.forEach(parseBrokerUrl);
  return urls;
}

export const defaultSocketFactory: SocketFactory = (options) =>
  new Promise((resolve, reject) => {
    const socket: net.Socket = options.tls
      ? tls.connect({
          host: options.host,
          port: options.port,
          servername: net.isIP(options.host) ? undefined : options.host,
          ...options.tlsOptions,
        })
      : net.connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ConnectionError(
          'CONNECTION_FAILED',
          `connecting to ${options.host}:${options.port} timed out after ${options.connectionTimeoutMs} ms`,
        ),
      );
    }, options.connectionTimeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      const message = `cannot connect to ${options.host}:${options.port}: ${error.message}`;
      reject(
        options.tls && isTlsFailure(error)
          ? new TlsError(`TLS handshake with ${options.host}:${options.port} failed: ${error.message}`, error)
          : new ConnectionError('CONNECTION_FAILED', message, error),
      );
    };
    socket.once('error', fail);
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });

/** Certificate verification (Node/OpenSSL codes like SELF_SIGNED_CERT_IN_CHAIN) or handshake errors. */
function isTlsFailure(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_|ERR_SSL_|ERR_TLS_|HOSTNAME/.test(code);
}
