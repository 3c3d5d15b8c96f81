import { ApiProblemError, ApiUnreachableError, Problem } from './errors';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /** The body as received, for values JSON.parse would alter (an id beyond 2^53, 1.0). */
  raw: Buffer;
}

export interface RequestOptions {
  body?: unknown;
  /** A JSON body sent as these bytes (instead of `body` serialised). */
  rawJson?: Buffer;
  headers?: Record<string, string>;
  /** Attempts after the first for answers worth retrying (503, 429, a key in progress), after Retry-After. */
  retries?: number;
}

type Fetch = typeof fetch;

const MAX_RETRY_WAIT_S = 30;

/** The REST API over HTTP with one API key: JSON in, JSON out, problem documents as ApiProblemError. */
export class GyreApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((done) => setTimeout(done, ms)),
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path, { retries: 2 }).then((response) => response.body);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body }).then((response) => response.body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path).then(() => undefined);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (!(error instanceof ApiProblemError) || !error.retriable || attempt >= (options.retries ?? 0))
          throw error;
        await this.sleep(Math.min(error.retryAfterSeconds ?? 1, MAX_RETRY_WAIT_S) * 1000);
      }
    }
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      authorization: `Bearer ${this.apiKey}`,
      ...options.headers,
    };
    const sent = options.rawJson ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (sent !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, body: sent });
    } catch (error) {
      const reason =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      throw new ApiUnreachableError(`cannot reach the API at ${this.baseUrl}: ${reason}`, { cause: error });
    }
    const raw = Buffer.from(await response.arrayBuffer());
    const text = raw.toString('utf8');
    const body = parseJson(text);
    if (!response.ok) {
      const problem: Problem =
        body && typeof body === 'object' ? (body as Problem) : { title: response.statusText, detail: text };
      throw new ApiProblemError(response.status, problem, retryAfter(response, problem));
    }
    return { status: response.status, headers: response.headers, body: body as T, raw };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function retryAfter(response: Response, problem: Problem): number | undefined {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header;
  return typeof problem.retryAfterSeconds === 'number' ? problem.retryAfterSeconds : undefined;
}
