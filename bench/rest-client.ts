import { Agent, request } from 'node:http';

/** The fields of the API's answers the benchmarks read. */
export interface Answer {
  id?: string;
  secret?: string;
  messages?: Array<{ leaseToken: string }>;
}

export interface RestClient {
  /** One request with an API key; resolves with the status and the JSON body, whatever the status. */
  call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: Answer }>;
  close(): void;
}

/**
 * One request to the API on 127.0.0.1:`port` with raw bytes and headers; resolves with the status and the body
 * text. A connection the server resets or closes while the body is still being sent (as after refusing an
 * over-size body) resolves with status 0 rather than rejecting.
 */
export function sendRaw(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', fail);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? done({ status: 0, text: '' }) : fail(error),
    );
    req.end(body);
  });
}

/**
 * A client of the API on 127.0.0.1:`port` over keep-alive connections (at most `maxSockets`): node:http
 * rather than fetch, so the client's own cost stays small next to what a benchmark measures.
 */
export function restClient(port: number, maxSockets: number): RestClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    call: async (method, path, key, body) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = {
        authorization: `Bearer ${key}`,
        ...(data ? { 'content-type': 'application/json' } : {}),
      };
      const { status, text } = await sendRaw(agent, port, method, path, headers, data);
      if (status === 0) throw new Error(`${method} ${path}: the connection was reset`);
      return { status, json: text ? (JSON.parse(text) as Answer) : {} };
    },
    close: () => agent.destroy(),
  };
}

/** The body of an answer with the expected status; otherwise an error naming `what`. */
export async function expectStatus(
  pending: Promise<{ status: number; json: Answer }>,
  status: number,
  what: string,
): Promise<Answer> {
  const { status: actual, json } = await pending;
  if (actual !== status) throw new Error(`${what}: ${actual} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}
