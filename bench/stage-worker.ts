/**
 * One worker process of bench/stages.ts: runs one stage (or the raw-consume reference) on the given
 * topics and prints `{"processed":n,"at":ms}` lines every 100 ms until its stdin closes. Not a tool of its own.
 *
 *   ts-node bench/stage-worker.ts <infer|prepare|raw> <json settings>
 */
import { applyPendingMigrations, createGyreDataSource } from '@gyre/database';
import {
  BuiltInScorer,
  buildFeatureRows,
  FRAUD_FEATURES_V1,
  generateFraudScenario,
  trainLogisticRegression,
} from '@gyre/ml';
import { parsePipelineDefinition, StageHandler, StageMetrics, StageRunner } from '@gyre/pipelines';
import {
  InferHandler,
  LoopStateStore,
  PrepareHandler,
  REFERENCE_LOOP_MIGRATIONS,
} from '@gyre/example-fraud-loop';
import { Client, Consumer } from '@gyre/pulsar';
import type { DataSource } from 'typeorm';

interface Settings {
  serviceUrl: string;
  /** Full topic names by stream name. */
  topics: Record<string, string>;
  input: string;
  output: string;
  subscription: string;
  pipeline: string;
  concurrency: number;
  batchSize: number;
  delivery?: 'at-least-once' | 'exactly-once';
  databaseUrl?: string;
}

async function main(): Promise<void> {
  const [kind, raw] = process.argv.slice(2);
  const settings = JSON.parse(raw) as Settings;
  const client = new Client({ serviceUrl: settings.serviceUrl, operationTimeoutSeconds: 30 });
  let processed = () => 0;
  let stop: () => Promise<void>;
  let dataSource: DataSource | undefined;
  if (kind === 'raw') {
    const consumer: Consumer = await client.subscribe({
      topic: settings.topics[settings.input],
      subscription: settings.subscription,
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
    });
    let count = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const message = await consumer.receive(200);
          await consumer.acknowledge(message);
          count++;
        } catch {
          // receive timed out: look at `running` again
        }
      }
    })();
    processed = () => count;
    stop = async () => {
      running = false;
      await loop;
      await consumer.close();
    };
  } else {
    let handler: StageHandler;
    if (kind === 'infer') {
      const serving = { version: 1, scorer: benchScorer() };
      handler = new InferHandler({ current: () => Promise.resolve(serving) });
    } else {
      dataSource = await createGyreDataSource(
        { database: { url: settings.databaseUrl!, embeddedPort: 0 } },
        { applicationName: 'gyre-bench', migrations: REFERENCE_LOOP_MIGRATIONS },
      ).initialize();
      await applyPendingMigrations(dataSource);
      handler = new PrepareHandler(new LoopStateStore(dataSource)) as StageHandler;
    }
    const [stage] = parsePipelineDefinition(settings.pipeline, {
      stages: [
        {
          name: kind,
          input: {
            stream: settings.input,
            subscription: settings.subscription,
            subscriptionType: kind === 'prepare' ? 'Key_Shared' : 'Shared',
            initialPosition: 'Earliest',
          },
          handler: handler.name,
          outputs: [settings.output],
          concurrency: settings.concurrency,
          ...(settings.batchSize > 1 ? { batchSize: settings.batchSize } : {}),
          ...(settings.delivery ? { delivery: settings.delivery } : {}),
          parameters: { output: settings.output },
        },
      ],
    }).stages;
    const metrics = new StageMetrics(settings.pipeline, kind);
    const runner = new StageRunner({
      client,
      pipeline: settings.pipeline,
      stage,
      handler,
      topicOf: (stream) => settings.topics[stream],
      metrics,
    });
    await runner.start();
    processed = () => metrics.processed;
    stop = () => runner.drain(5_000);
  }
  const timer = setInterval(() => report(processed()), 100);
  report(processed());
  process.stdin.resume();
  process.stdin.on('end', () => {
    clearInterval(timer);
    report(processed());
    void stop()
      .then(() => client.close())
      .then(() => dataSource?.destroy())
      .then(() => process.exit(0));
  });
}

function report(processed: number): void {
  process.stdout.write(`${JSON.stringify({ processed, at: Date.now() })}\n`);
}

/** A real model for infer to score with: the built-in logistic regression on a small synthetic history. */
function benchScorer(): BuiltInScorer {
  const { transactions, outcomes } = generateFraudScenario({ seed: 'bench-stages', transactionCount: 3000 });
  const rows = buildFeatureRows(FRAUD_FEATURES_V1, transactions, outcomes);
  const labels = new Map(outcomes.map((o) => [o.eventId, o.label === 'fraud' ? 1 : 0] as const));
  const model = trainLogisticRegression(
    FRAUD_FEATURES_V1,
    rows.map((row) => row.values),
    rows.map((row) => labels.get(row.eventId)!),
  );
  return new BuiltInScorer(model, 'fraud-v1');
}

main().catch((error: unknown) => {
  process.stderr.write(`stage worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
