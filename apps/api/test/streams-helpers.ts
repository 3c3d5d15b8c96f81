import type { INestApplication } from '@nestjs/common';
import { MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { readAll, testEndpoints, testLogger, testPulsarClient, uniqueName } from '../../../tools/testing';
import { createApiApp } from '../src/api-app';
import { clientAs, TestKey } from './auth-helpers';

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
  const client = testPulsarClient();
  try {
    return (await readAll(client, topic)).map((message) => ({
      id: message.getMessageId(),
      data: message.getData().toString('utf8'),
      bytes: message.getData(),
      key: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
      properties: message.getProperties(),
    }));
  } finally {
    await client.close();
  }
}

/** A stream of its own (a unique name), created over the API by `operator`: its name and topic. */
export async function createTestStream(
  app: INestApplication,
  operator: TestKey,
  {
    partitions = 1,
    ownerTeam = 'ranking',
    schema = CLICK_SCHEMA,
  }: { partitions?: number; ownerTeam?: string; schema?: object } = {},
): Promise<{ name: string; topic: string }> {
  const name = streamName();
  const created = await clientAs(app, operator)
    .post('/admin/streams')
    .send({ name, ownerTeam, partitions, schema })
    .expect(201);
  return { name, topic: created.body.topic };
}

/** Deletes a stream a test created (in afterAll: a failure here must not hide the test's own). */
export async function deleteTestStream(
  app: INestApplication,
  operator: TestKey,
  name: string,
): Promise<void> {
  await clientAs(app, operator).delete(`/admin/streams/${name}?confirm=${name}`);
}
