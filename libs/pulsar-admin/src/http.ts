import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { errorCodeForStatus, PulsarAdminError } from './errors';

export interface PulsarAdminOptions {
  /** e.g. http://127.0.0.1:8080 */
  adminUrl: string;
  /** JWT sent as a Bearer token when the broker requires authentication. */
  authToken?: string;
  timeoutMs?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const CONNECTION_ATTEMPTS = 3;

/** JSON over HTTP to the admin API; every failure becomes a PulsarAdminError. */
export class AdminHttp {
  private readonly base: string;

  constructor(private readonly options: PulsarAdminOptions) {
    this.base = options.adminUrl.replace(/\/+$/, '');
  }

  /**
   * The raw bytes and headers of a successful GET (peeked messages are binary). Headers keep the case the
   * broker sent: message properties travel as `X-Pulsar-PROPERTY-<name>` and their names are case-sensitive.
   */
  async requestRaw(path: string): Promise<{ headers: Record<string, string>; body: Buffer }> {
    const url = new URL(`${this.base}${path}`);
    const headers: Record<string, string> = { accept: '*/*' };
    if (this.options.authToken) headers.authorization = `Bearer ${this.options.authToken}`;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const call = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method: 'GET', headers },
        resolve,
      );
      call.setTimeout(this.options.timeoutMs ?? 30_000, () =>
        call.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
      );
      call.on('error', reject);
      call.end();
    }).catch((error: unknown) => {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new PulsarAdminError(timedOut ? 'timeout' : 'unreachable', 'GET', path, undefined, undefined, {
        cause: error,
      });
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const status = response.statusCode ?? 500;
    if (status >= 300) throw this.failure('GET', path, status, body.toString('utf8'));
    const raw: Record<string, string> = {};
    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
      raw[response.rawHeaders[i]] = response.rawHeaders[i + 1];
    return { headers: raw, body };
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    accept: 'json' | 'text' = 'json',
  ): Promise<T> {
    const response = await this.send(method, path, body, accept === 'json' ? 'application/json' : '*/*');
    const text = await response.text();
    if (!response.ok) throw this.failure(method, path, response.status, text);
    if (accept === 'text') return text as T;
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.authToken) headers.authorization = `Bearer ${this.options.authToken}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${this.base}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        // A kept-alive connection the server (or the Pulsar proxy) closed as it was reused fails before any
        // answer; an idempotent request may be sent again on a new connection (RFC 9110, 9.2.2).
        if (!timedOut && attempt < CONNECTION_ATTEMPTS && IDEMPOTENT.has(method)) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw new PulsarAdminError(timedOut ? 'timeout' : 'unreachable', method, path, undefined, undefined, {
          cause: error,
        });
      }
    }
  }

  private failure(method: string, path: string, status: number, text: string): PulsarAdminError {
    return new PulsarAdminError(errorCodeForStatus(status), method, path, status, brokerReason(text));
  }
}

function brokerReason(text: string): string | undefined {
  // Some refusals (schema compatibility) come as Jetty's HTML error page: its title is the reason.
  const title = /<title>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  if (title)
    return title
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, ' ')
      .slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { reason?: string };
    return parsed.reason ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200) || undefined;
  }
}
