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
 * A client of the API on 127.0.0.1:`port` over keep-alive connections (at most `maxSockets`): node:http
 * rather than fetch, so the client's own cost stays small next to what a benchmark measures.
 */
export function restClient(port: number, maxSockets: number): RestClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    call: (method, path, key, body) =>
      new Promise((done, fail) => {
        const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              authorization: `Bearer ${key}`,
              ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              done({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Answer) : {} });
            });
            res.on('error', fail);
          },
        );
        req.on('error', fail);
        req.end(data);
      }),
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
