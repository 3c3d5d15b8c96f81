/** A refusal from Gyre's API, read from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

export type Role = 'admin' | 'producer' | 'consumer';
export interface CallerKey {
  id: string;
  name: string;
  role: Role;
  scope: { kind: 'all' } | { kind: 'streams'; streams: string[] } | { kind: 'prefix'; prefix: string };
}

/**
 * Gyre's REST API, same origin, with the operator's key in the Authorization header only: never in a URL,
 * never written to a log or the console.
 */
export class Api {
  constructor(private readonly key: string) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A file the API sends as an attachment, fetched with the key (a plain link could not carry it). */
  async download(path: string): Promise<{ blob: Blob; fileName: string }> {
    const response = await fetch(path, {
      headers: { authorization: `Bearer ${this.key}` },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw await problemOf(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
    return { blob: await response.blob(), fileName };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw await problemOf(response);
    const text = await response.text();
    return (text === '' ? null : JSON.parse(text)) as T;
  }
}

/** The refusal in a response's problem+json body (or its status line when the body is not JSON). */
async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let problem: Partial<Record<'type' | 'title' | 'detail', string>> = {};
  try {
    problem = text === '' ? {} : (JSON.parse(text) as typeof problem);
  } catch {
    // Not problem+json (a proxy's page): the status line says enough.
  }
  return new ApiError(
    response.status,
    problem.type ?? 'about:blank',
    problem.title ?? response.statusText,
    problem.detail ?? '',
  );
}

/** Path segments are escaped, so a stream or subscription name can never change the route. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce(
    (out, part, index) =>
      out + part + (index < values.length ? encodeURIComponent(String(values[index])) : ''),
    '',
  );
}
