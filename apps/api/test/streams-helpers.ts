import type { INestApplication } from '@nestjs/common';
import { Client, MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { testEndpoints, testLogger, uniqueName } from '../../../tools/testing';
import { createApiApp } from '../src/api-app';

export const endpoints = testEndpoints();
export const admin = new PulsarAdmin({ adminUrl: endpoints.pulsarAdminUrl });

export const CLICK_SCHEMA = {
  type: 'object',
  required: ['user', 'amount'],
  properties: { user: { type: 'string' }, amount: { type: 'number' } },
};

/** An API app started in-process with extra settings (they are read when the app is created). */
export async function startApiWith(env: Record<string, string>): Promise<INestApplication> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const app = await createApiApp(testLogger('error'));
    await app.init();
    return app;
  } finally {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
}

export function streamName(): string {
  return uniqueName('it-stream');
}

/** A message as a plain Pulsar reader sees it on the topic (`bytes` exactly as stored). */
export interface StoredMessage {
  id: MessageId;
  data: string;
  bytes: Buffer;
  key?: string;
  properties: Record<string, string>;
}

/** Every message on every partition of a stream's topic, read from the earliest position. */
export async function readStream(topic: string): Promise<StoredMessage[]> {
  const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
  try {
    const read: StoredMessage[] = [];
    for (const partition of await client.getPartitionsForTopic(topic)) {
      const reader = await client.createReader({ topic: partition, startMessageId: MessageId.earliest() });
      while (await reader.hasMessageAvailable()) {
        const message = await reader.readNext(10_000);
        read.push({
          id: message.getMessageId(),
          data: message.getData().toString('utf8'),
          bytes: message.getData(),
          key: message.getPartitionKey(),
          properties: message.getProperties(),
        });
      }
      await reader.close();
    }
    return read;
  } finally {
    await client.close();
  }
}
