import type { Client, Consumer, Message } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import {
  AnyStageHandler,
  parsePipelineDefinition,
  StageDefinition,
  StageMetrics,
  StageRunner,
} from '@gyre/pipelines';
import { EVENT_PROPERTIES, StreamNamespace } from '@gyre/streams';
import { testEndpoints } from './endpoints';
import { testPulsarClient } from './pulsar';
import { uniqueName } from './unique-name';

// A separate entry from index.ts: it loads the pipelines domain, which most tests do not need.

/** A namespace of its own under the gyre-it tenant, with Gyre's stream policies. */
export async function provisionTestNamespace(): Promise<StreamNamespace> {
  const { pulsarAdminUrl, pulsarCluster } = testEndpoints();
  const namespace = new StreamNamespace(new PulsarAdmin({ adminUrl: pulsarAdminUrl }), {
    tenant: 'gyre-it',
    namespace: uniqueName('pipelines'),
    cluster: pulsarCluster,
    offloadThresholdBytes: -1,
    offloadDeletionLagMs: 3_600_000,
  });
  await namespace.provision();
  return namespace;
}

/** A validated stage reading `input` from its earliest event, with a fast retry policy for tests. */
export function testStage(
  overrides: Record<string, unknown> & { input?: Record<string, unknown> },
): StageDefinition {
  const [stage] = parsePipelineDefinition('it', {
    stages: [
      {
        name: 'stage',
        handler: 'h',
        outputs: ['out'],
        retry: { maxAttempts: 3, initialBackoffMs: 200, maxBackoffMs: 2000, multiplier: 2 },
        ...overrides,
        input: { stream: 'in', subscriptionType: 'Shared', initialPosition: 'Earliest', ...overrides.input },
      },
    ],
  }).stages;
  return stage;
}

/**
 * Publishes `count` JSON events `{ n }` with ids evt-0..evt-(count-1); resolves once all are receipted.
 * Unbatched by default: one entry per event, so the broker dispatches, acks and redelivers them one by
 * one. `oneEntry`: all of them in one batch entry, as the API's producer writes a request's events.
 */
export async function publishEvents(
  client: Client,
  topic: string,
  count: number,
  key?: (n: number) => string,
  { oneEntry = false }: { oneEntry?: boolean } = {},
): Promise<void> {
  const producer = await client.createProducer(
    oneEntry
      ? { topic, batchingEnabled: true, batchingMaxMessages: count, batchingMaxPublishDelayMs: 60_000 }
      : { topic, batchingEnabled: false },
  );
  await Promise.all(
    Array.from({ length: count }, (_, n) =>
      producer.send({
        data: Buffer.from(JSON.stringify({ n })),
        partitionKey: key?.(n),
        properties: { [EVENT_PROPERTIES.eventId]: `evt-${n}` },
      }),
    ),
  );
  await producer.close();
}

/** Every message that reaches `topic` from now on (from its earliest, if the subscription is new). */
export async function collect(
  client: Client,
  topic: string,
): Promise<{ messages: Message[]; consumer: Consumer }> {
  const messages: Message[] = [];
  const consumer = await client.subscribe({
    topic,
    subscription: uniqueName('collect'),
    subscriptionInitialPosition: 'Earliest',
    listener: async (message, self) => {
      messages.push(message);
      await self.acknowledge(message);
    },
  });
  return { messages, consumer };
}

/** Distinct values of the event-id property, with how many times each arrived. */
export function countById(messages: readonly Message[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const id = message.getProperties()[EVENT_PROPERTIES.eventId];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

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
    client = testPulsarClient();
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
      const created = testPulsarClient();
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
