import { errorCodeForStatus, PulsarAdminError } from './errors';

export interface PulsarAdminOptions {
  /** e.g. http://127.0.0.1:8080 */
  adminUrl: string;
  /** JWT sent as a Bearer token when the broker requires authentication. */
  authToken?: string;
  timeoutMs?: number;
}

/** JSON over HTTP to the admin API; every failure becomes a PulsarAdminError. */
export class AdminHttp {
  private readonly base: string;

  constructor(private readonly options: PulsarAdminOptions) {
    this.base = options.adminUrl.replace(/\/+$/, '');
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    accept: 'json' | 'text' = 'json',
  ): Promise<T> {
    const headers: Record<string, string> = { accept: accept === 'json' ? 'application/json' : '*/*' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.authToken) headers.authorization = `Bearer ${this.options.authToken}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new PulsarAdminError(timedOut ? 'timeout' : 'unreachable', method, path, undefined, undefined, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      throw new PulsarAdminError(
        errorCodeForStatus(response.status),
        method,
        path,
        response.status,
        brokerReason(text),
      );
    }
    if (accept === 'text') return text as T;
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
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
