import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A round-robin front for API instances, as a plain load balancer without session affinity: each request
 * goes to the next port in `ports()` (read per request, so a test can take a dead instance out).
 */
export class RoundRobinProxy {
  private readonly server: Server;
  private next = 0;
  /** Requests sent to each port, to show that every instance served some. */
  readonly served = new Map<number, number>();

  constructor(private readonly ports: () => number[]) {
    this.server = createServer((incoming, answer) => {
      const targets = this.ports();
      const port = targets[this.next++ % targets.length];
      this.served.set(port, (this.served.get(port) ?? 0) + 1);
      const upstream = request(
        { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          answer.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(answer);
        },
      );
      upstream.on('error', () => {
        if (!answer.headersSent) answer.writeHead(502);
        answer.end();
      });
      incoming.pipe(upstream);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((listening) => this.server.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((closed) => this.server.close(closed));
  }
}

/** The HTTP consumer endpoints of one subscription, called with fetch at `baseUrl` (a proxy or an instance). */
export function httpWorker(baseUrl: string, key: string, stream: string, subscription: string) {
  const call = async <T>(action: string, body: object): Promise<T> => {
    const response = await fetch(
      `${baseUrl}/v1/streams/${stream}/subscriptions/${subscription}/messages:${action}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    if (response.status !== 200) throw new Error(`${action}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const results = async (action: string, body: object): Promise<string[]> =>
    (await call<{ results: Array<{ result: string }> }>(action, body)).results.map((r) => r.result);
  return {
    call,
    pull: async <M>(body: object): Promise<M[]> =>
      (await call<{ messages: M[] }>('pull', { initialPosition: 'Earliest', ...body })).messages,
    ack: (leaseTokens: string[]) => results('ack', { leaseTokens }),
    nack: (leaseTokens: string[], delayMs = 0) => results('nack', { leaseTokens, delayMs }),
    extend: (leaseTokens: string[], leaseMs: number) =>
      call<{ results: Array<{ result: string; leaseToken?: string }> }>('extend', { leaseTokens, leaseMs }),
  };
}
