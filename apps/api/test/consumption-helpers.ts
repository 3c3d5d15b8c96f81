import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { clientAs, TestKey } from './auth-helpers';
import { endpoints } from './streams-helpers';

export interface Leased {
  leaseToken: string;
  messageId: string;
  key: string | null;
  payload: { user: string; amount: number };
  properties: Record<string, string>;
  redeliveryCount: number;
}

/** Calls of one stream's HTTP consumer endpoints as `key`. */
export function consumerOf(app: INestApplication, key: TestKey, stream: string, subscription: string) {
  const base = `/v1/streams/${stream}/subscriptions/${subscription}/messages`;
  const post = (action: string, body: object): request.Test =>
    clientAs(app, key).post(`${base}:${action}`).send(body);
  return {
    post,
    async pull(body: object = {}): Promise<Leased[]> {
      const response = await post('pull', { max: 100, initialPosition: 'Earliest', ...body }).expect(200);
      return response.body.messages;
    },
    async ack(tokens: string[]): Promise<string[]> {
      const response = await post('ack', { leaseTokens: tokens }).expect(200);
      return response.body.results.map((result: { result: string }) => result.result);
    },
    async nack(tokens: string[], delayMs?: number): Promise<string[]> {
      const response = await post('nack', { leaseTokens: tokens, delayMs }).expect(200);
      return response.body.results.map((result: { result: string }) => result.result);
    },
  };
}

/**
 * Publishes `count` click events (amount = `first` + their index) through the API, as ONE JSON array:
 * one request, which the API's batching producer writes as one batch entry.
 */
export async function publishClicks(
  app: INestApplication,
  key: TestKey,
  stream: string,
  count: number,
  first = 0,
): Promise<void> {
  const events = Array.from({ length: count }, (_, index) => ({
    payload: { user: `u${first + index}`, amount: first + index },
  }));
  await clientAs(app, key).post(`/v1/streams/${stream}/events`).send(events).expect(202);
}

/** Messages of the subscription not yet acknowledged, over every partition of the stream's topic. */
export async function backlogOf(topic: string, subscription: string): Promise<number> {
  const path = topic.replace('persistent://', '');
  const response = await fetch(`${endpoints.pulsarAdminUrl}/admin/v2/persistent/${path}/partitioned-stats`);
  if (!response.ok) throw new Error(`partitioned-stats of ${topic}: ${response.status}`);
  const stats = (await response.json()) as { subscriptions: Record<string, { msgBacklog: number }> };
  return stats.subscriptions[subscription]?.msgBacklog ?? 0;
}
