import { ApiKeyService } from '@gyre/auth';
import { GyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import { DataSource } from 'typeorm';
import { AppProcess, freePort, startApp, uniqueName, waitFor } from '../tools/testing';
import { pidCpuSeconds } from './process-cpu';
import { expectStatus, restClient, RestClient } from './rest-client';

export const EVENT_BYTES = 1024;

export const SCHEMA = {
  type: 'object',
  required: ['user', 'item', 'score', 'context'],
  properties: {
    user: { type: 'string' },
    item: { type: 'string' },
    score: { type: 'number' },
    context: { type: 'string' },
  },
};

/** A payload whose JSON text is exactly EVENT_BYTES bytes. */
export function payloadOf(i: number): Record<string, unknown> {
  const base = { user: `u${i % 1000}`, item: `i${i % 5000}`, score: 0.5, context: '' };
  return { ...base, context: 'x'.repeat(EVENT_BYTES - JSON.stringify(base).length) };
}

/** What bench/api-ingest.ts measures against: the API it started, its two streams and three keys. */
export interface IngestWorld {
  port: number;
  rest: RestClient;
  single: string;
  batched: string;
  producerKey: string;
  consumerKey: string;
  adminKey: string;
  /** CPU seconds the API process has used so far (user + system, from /proc). */
  apiCpuSeconds(): number;
  /** The API process, for /proc samples (bench/api-soak.ts reads its resident memory). */
  apiPid: number;
  /** What the API has written to stdout so far (bench/api-soak.ts reads its --trace-gc lines). */
  apiStdout(): string;
  /** Kills the API at once (the benchmark's time cap). */
  kill(): void;
  /** Deletes the streams and keys, then stops the API (SIGTERM, SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/**
 * Starts the API on a free port (rate limit off; under `nodeArgs`, e.g. --cpu-prof), creates an admin key
 * from the service as the CLI does, two streams of `partitions`, then producer and consumer keys over the
 * API. Whatever it created is undone by `stop()`, or here when set-up fails.
 */
export async function startIngestWorld(
  config: GyreConfig,
  partitions: number,
  nodeArgs: string[],
  apiRoot?: string,
  /** The built API (dist/, as the Dockerfile runs it; `npx nest build api` first) instead of ts-node's. */
  built = false,
): Promise<IngestWorld> {
  const port = await freePort();
  const env = {
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    WORKERS_PORT: String(await freePort()),
    AUTH_RATE_LIMIT_PER_SECOND: '0',
    LOG_LEVEL: 'warn',
  };
  const entry = built ? 'dist/apps/api/src/main.js' : 'apps/api/src/main.ts';
  const api: AppProcess = startApp(entry, env, { nodeArgs, root: apiRoot });
  const rest = restClient(port, 8);
  let dataSource: DataSource | undefined;
  const keyIds: string[] = [];
  const streams: string[] = [];
  let adminKey = '';
  const stop = async () => {
    for (const name of streams)
      await rest
        .call('DELETE', `/admin/streams/${name}?confirm=${name}`, adminKey)
        .then(
          ({ status }) =>
            status === 204 || process.stderr.write(`could not delete stream ${name}: ${status}\n`),
        )
        .catch((error: unknown) =>
          process.stderr.write(`could not delete stream ${name}: ${String(error)}\n`),
        );
    rest.close();
    if (dataSource) {
      const keys = new ApiKeyService(dataSource);
      for (const id of keyIds) await keys.revoke(id, 'bench').catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
    }
    api.child.kill('SIGTERM');
    const exited = await Promise.race([api.exit, new Promise((done) => setTimeout(done, 20_000, 'timeout'))]);
    if (exited === 'timeout') api.child.kill('SIGKILL');
  };
  try {
    await Promise.race([
      waitFor(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok), {
        timeoutMs: 90_000,
        description: `the API on port ${port}`,
      }),
      api.exit.then(() => {
        throw new Error(`the API exited: ${api.output().stderr}`);
      }),
    ]);
    dataSource = await createGyreDataSource(config, { applicationName: 'gyre-bench' }).initialize();
    const admin = await new ApiKeyService(dataSource).create(
      { name: uniqueName('bench-admin'), role: 'admin', scope: { kind: 'all' } },
      'bench',
    );
    keyIds.push(admin.key.id);
    adminKey = admin.secret;
    const [single, batched] = [uniqueName('bench-single'), uniqueName('bench-batch')];
    for (const name of [single, batched]) {
      await expectStatus(
        rest.call('POST', '/admin/streams', adminKey, {
          name,
          ownerTeam: 'bench',
          partitions,
          schema: SCHEMA,
        }),
        201,
        `create stream ${name}`,
      );
      streams.push(name);
    }
    const issued = async (role: string) => {
      const body = await expectStatus(
        rest.call('POST', '/admin/api-keys', adminKey, {
          name: uniqueName(`bench-${role}`),
          role,
          scope: { kind: 'streams', streams },
        }),
        201,
        `create ${role} key`,
      );
      keyIds.push(body.id!);
      return body.secret!;
    };
    const producerKey = await issued('producer');
    const consumerKey = await issued('consumer');
    return {
      port,
      rest,
      single,
      batched,
      producerKey,
      consumerKey,
      adminKey,
      apiCpuSeconds: () => pidCpuSeconds(api.child.pid ?? -1) ?? Number.NaN,
      apiPid: api.child.pid ?? -1,
      apiStdout: () => api.output().stdout,
      kill: () => api.child.kill('SIGKILL'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
