import { performance } from 'node:perf_hooks';
import { expectStatus, RestClient } from './rest-client';

export const PULL_MAX = 100;

/** (d) HTTP: `workers` loops of pull (max 100) then ack of every lease, until `count` messages were acked. */
export async function drainHttp(
  rest: RestClient,
  key: string,
  stream: string,
  subscription: string,
  count: number,
  workers: number,
): Promise<number> {
  const base = `/v1/streams/${stream}/subscriptions/${subscription}`;
  let acked = 0;
  const deadline = Date.now() + 120_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (acked < count) {
        if (Date.now() > deadline) throw new Error(`HTTP drain: only ${acked} of ${count} messages in 120 s`);
        const pulled = await expectStatus(
          rest.call('POST', `${base}/messages:pull`, key, { max: PULL_MAX, waitMs: 500 }),
          200,
          'pull',
        );
        const tokens = (pulled.messages ?? []).map((m) => m.leaseToken);
        if (tokens.length === 0) continue;
        await expectStatus(
          rest.call('POST', `${base}/messages:ack`, key, { leaseTokens: tokens }),
          200,
          'ack',
        );
        acked += tokens.length;
      }
    }),
  );
  return (performance.now() - started) / 1000;
}
