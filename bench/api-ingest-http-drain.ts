import { performance } from 'node:perf_hooks';
import { expectStatus, RestClient } from './rest-client';

export const PULL_MAX = 100;

/**
 * (d) HTTP: `workers` loops of pull (max 100) then ack of every lease, until `count` messages were acked. With
 * `overlapAcks`, a worker pulls its next batch while the previous batch's ack commits (one ack waited for at a
 * time): what a worker does to keep committed acks off its pull loop.
 */
export async function drainHttp(
  rest: RestClient,
  key: string,
  stream: string,
  subscription: string,
  count: number,
  workers: number,
  overlapAcks = false,
): Promise<number> {
  const base = `/v1/streams/${stream}/subscriptions/${subscription}`;
  let acked = 0;
  // Acks sent, answered or not: an overlapping worker stops pulling once the last ones are on their way.
  let sent = 0;
  const deadline = Date.now() + 120_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      let previous: Promise<void> | undefined;
      while (sent < count) {
        if (Date.now() > deadline) throw new Error(`HTTP drain: only ${acked} of ${count} messages in 120 s`);
        const pulled = await expectStatus(
          rest.call('POST', `${base}/messages:pull`, key, { max: PULL_MAX, waitMs: 500 }),
          200,
          'pull',
        );
        const tokens = (pulled.messages ?? []).map((m) => m.leaseToken);
        sent += tokens.length;
        const ack =
          tokens.length === 0
            ? undefined
            : expectStatus(
                rest.call('POST', `${base}/messages:ack`, key, { leaseTokens: tokens }),
                200,
                'ack',
              ).then(() => {
                acked += tokens.length;
              });
        await previous;
        previous = overlapAcks ? ack : undefined;
        if (!overlapAcks) await ack;
      }
      await previous;
    }),
  );
  if (acked < count) throw new Error(`HTTP drain: ${acked} of ${count} messages acked`);
  return (performance.now() - started) / 1000;
}

/**
 * (d) HTTP streaming: `workers` NDJSON streams (messages:stream, `credits` each) read with plain http,
 * acks in batches of what each chunk brought, on a second connection, until `count` messages were acked.
 */
export async function drainStream(
  port: number,
  rest: RestClient,
  key: string,
  stream: string,
  subscription: string,
  count: number,
  workers: number,
  credits: number,
): Promise<number> {
  const base = `/v1/streams/${stream}/subscriptions/${subscription}`;
  let acked = 0;
  const started = performance.now();
  const closed = new AbortController();
  const deadline = setTimeout(() => closed.abort(), 120_000);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const response = await fetch(`http://127.0.0.1:${port}${base}/messages:stream`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ credits, durationMs: 120_000 }),
        signal: closed.signal,
      });
      if (response.status !== 200) throw new Error(`stream: ${response.status} ${await response.text()}`);
      const decoder = new TextDecoder();
      let partial = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
          partial = lines.pop() ?? '';
          const tokens = lines
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { leaseToken: string }).leaseToken);
          if (tokens.length === 0) continue;
          await expectStatus(
            rest.call('POST', `${base}/messages:ack`, key, { leaseTokens: tokens }),
            200,
            'ack',
          );
          acked += tokens.length;
          if (acked >= count) closed.abort();
        }
      } catch (error) {
        if (!closed.signal.aborted) throw error;
      }
    }),
  );
  clearTimeout(deadline);
  if (acked < count) throw new Error(`HTTP stream drain: only ${acked} of ${count} messages in 120 s`);
  return (performance.now() - started) / 1000;
}
