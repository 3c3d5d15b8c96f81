import type { INestApplication } from '@nestjs/common';
import { ApiKeyScope, ApiKeyService, Role } from '@gyre/auth';
import request from 'supertest';
import { uniqueName } from '../../../tools/testing';

export interface TestKey {
  id: string;
  /** The whole key, as sent in Authorization: Bearer. */
  secret: string;
}

/** A new API key with a unique name, issued through the service the admin endpoints use. */
export async function issueKey(
  app: INestApplication,
  role: Role,
  scope: ApiKeyScope = { kind: 'all' },
): Promise<TestKey> {
  const { key, secret } = await app
    .get(ApiKeyService)
    .create({ name: uniqueName(`it-${role}`), role, scope }, 'integration-test');
  return { id: key.id, secret };
}

/** An HTTP client of the app that sends `key` with every request. */
export function clientAs(app: INestApplication, key: TestKey) {
  return request.agent(app.getHttpServer()).set('authorization', `Bearer ${key.secret}`);
}
