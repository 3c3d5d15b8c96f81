import type { Client } from '@gyre/pulsar';
import type { StreamNamespace } from '@gyre/streams';
import { AnyStageHandler, StageDefinition, StageMetrics, StageRunner } from '../src';
import { newClient, provisionTestNamespace } from './helpers';

export interface FixtureRunner {
  /** Streams are `<prefix>-<stream>` in the fixture's namespace. */
  prefix: string;
  handler: AnyStageHandler;
  stage: StageDefinition;
  pipeline?: string;
  metrics?: StageMetrics;
  /** A worker of its own (own connection, as a separate process would have); the test's client by default. */
  client?: Client;
}

/**
 * What every stage-runner test sets up: a namespace of its own (once per file), a client per test, and the
 * runners and clients a test starts, drained and closed when it ends. Call it inside a describe.
 */
export function useStageFixture() {
  let namespace: StreamNamespace | undefined;
  let client: Client | undefined;
  const runners: StageRunner[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    namespace = await provisionTestNamespace();
  });
  beforeEach(() => {
    client = newClient();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.drain(5_000)));
    await Promise.all([client, ...clients.splice(0)].map((c) => c?.close()));
  });

  const fixture = {
    get namespace(): StreamNamespace {
      return namespace!;
    },
    /** This test's client. */
    get client(): Client {
      return client!;
    },
    /** Another client, closed when the test ends. */
    newClient(): Client {
      const created = newClient();
      clients.push(created);
      return created;
    },
    topicOf: (prefix: string) => (stream: string) => namespace!.topic(`${prefix}-${stream}`),
    /** A runner (not started) of `stage` over the prefix's streams; drained when the test ends. */
    runner({ prefix, handler, stage, pipeline = 'it', metrics, client: own }: FixtureRunner): StageRunner {
      const created = new StageRunner({
        client: own ?? client!,
        pipeline,
        stage,
        handler,
        topicOf: fixture.topicOf(prefix),
        metrics: metrics ?? new StageMetrics(pipeline, stage.name),
      });
      runners.push(created);
      return created;
    },
  };
  return fixture;
}
