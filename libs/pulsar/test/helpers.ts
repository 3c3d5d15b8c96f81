import { testEndpoints, uniqueName } from '../../../tools/testing';
import { Client } from '../src';

export const endpoints = testEndpoints();

export function newClient(): Client {
  return new Client({
    serviceUrl: endpoints.pulsarServiceUrl,
    operationTimeoutSeconds: 10,
    backoff: { initialMs: 50, maxMs: 1000 },
  });
}

export function uniqueTopic(prefix: string): string {
  return `persistent://public/default/${uniqueName(prefix)}`;
}

export async function createPartitionedTopic(topic: string, partitions: number): Promise<void> {
  const path = topic.replace('persistent://', '');
  const response = await fetch(`${endpoints.pulsarAdminUrl}/admin/v2/persistent/${path}/partitions`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: String(partitions),
  });
  if (!response.ok) throw new Error(`creating ${topic}: ${response.status} ${await response.text()}`);
}

export async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${endpoints.pulsarAdminUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
