import type { INestApplication } from '@nestjs/common';

/**
 * An app built in-process by `create`, initialised before the file's tests and closed after them.
 * Call it inside a describe; `fixture.app` is the running app.
 */
export function useNestApp(create: () => Promise<INestApplication>): { readonly app: INestApplication } {
  let app: INestApplication | undefined;
  beforeAll(async () => {
    app = await create();
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    get app(): INestApplication {
      return app!;
    },
  };
}

/** GET /health of an app that reaches each of the stack's services (Pulsar, Postgres, S3). */
export const ALL_SERVICES_UP = {
  status: 'ok',
  info: { pulsar: { status: 'up' }, database: { status: 'up' }, s3: { status: 'up' } },
  error: {},
};
