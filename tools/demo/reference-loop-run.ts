import type { GyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import { generateFraudScenario } from '@gyre/ml';
import { PipelineService } from '@gyre/pipelines';
import {
  EpochLineage,
  LoopLedgerStore,
  LoopReport,
  referenceLoopDefinition,
  referenceLoopStreams,
} from '@gyre/example-fraud-loop';
import { waitFor } from '../testing/wait-for';
import { appUrl } from './app-url';
import { GyreHttp } from './gyre-http';
import { formatEpochTable } from './loop-table';
import { compareOnLatestHeldOut } from './model-comparison';

const PIPELINE_PREFIX = 'fraud-demo-';

export interface ReferenceLoopRun {
  epochs: number;
  eventsPerEpoch: number;
  seed: string;
}

/**
 * Runs the reference loop against the running API and workers: a fresh set of streams and the
 * fraud pipeline, synthetic transactions through the REST API and their labels a little later,
 * epoch by epoch, waiting for each epoch's model version; prints and returns the per-epoch table.
 */
export async function runReferenceLoop(
  config: GyreConfig,
  adminKey: string,
  options: ReferenceLoopRun,
  say: (line: string) => void,
): Promise<{ pipeline: string; epochs: EpochLineage[] }> {
  const api = appUrl(config.api.host, config.api.port);
  const dataSource = await createGyreDataSource(config, { applicationName: 'gyre-demo-loop' }).initialize();
  try {
    const run = Date.now().toString(36);
    const pipeline = `${PIPELINE_PREFIX}${run}`;
    const streams = referenceLoopStreams(`fraud-${run}-`);
    const pipelines = new PipelineService(dataSource);
    await retireEarlierRuns(pipelines);
    const http = new GyreHttp(api, adminKey);
    await http.createLoopStreams(streams);
    // Every transaction of the demo gets its label, so an epoch trains once all of them are joined.
    const minExamples = options.eventsPerEpoch;
    await pipelines.save(
      pipeline,
      referenceLoopDefinition(streams, { minExamples, seed: options.seed, concurrency: 8 }),
    );
    say(
      `pipeline ${pipeline}: ${options.epochs} epochs of ${options.eventsPerEpoch} transactions; ` +
        `an epoch trains the next model version once it has ${minExamples} labelled examples`,
    );
    const { transactions, outcomes } = generateFraudScenario({
      seed: options.seed,
      transactionCount: options.epochs * options.eventsPerEpoch,
    });
    const outcomeOf = new Map(outcomes.map((outcome) => [outcome.eventId, outcome]));
    const ledger = new LoopLedgerStore(dataSource);
    const started = Date.now();
    for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
      const slice = transactions.slice((epoch - 1) * options.eventsPerEpoch, epoch * options.eventsPerEpoch);
      await http.postEvents(
        streams.transactions,
        slice.map((tx) => ({ id: tx.eventId, key: tx.cardId, eventTime: tx.timestamp, payload: tx })),
      );
      // Outcomes come after their transactions, in the order they became known: some still reach
      // feedback before their prediction does, most after.
      const labels = slice
        .map((tx) => outcomeOf.get(tx.eventId)!)
        .sort((a, b) => a.reportedAt - b.reportedAt);
      await http.postEvents(
        streams.labels,
        labels.map((o) => ({ id: `label-${o.eventId}`, key: o.cardId, eventTime: o.reportedAt, payload: o })),
      );
      say(`epoch ${epoch}: posted ${slice.length} transactions and ${labels.length} labels; training...`);
      const version = await waitFor(
        async () => {
          const latest = await ledger.latestModelVersion(pipeline);
          return latest && latest.version >= epoch ? latest.version : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 500, description: `model version ${epoch}` },
      );
      say(
        `epoch ${epoch}: model version v${version} recorded after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const epochs = (await new LoopReport(dataSource).epochs(pipeline)).filter((epoch) => epoch.events > 0);
    const comparison = await compareOnLatestHeldOut(config, dataSource, pipeline, epochs, options.seed);
    process.stdout.write(`\n${formatEpochTable(epochs)}\n\n${verdict(epochs)}\n${comparison}\n\n`);
    // The same figures through the admin API, as an operator would ask for them.
    const lineage = (await http.get(`/admin/epochs/1/lineage?pipeline=${pipeline}`)) as EpochLineage;
    say(
      `GET /admin/epochs/1/lineage: dataset ${lineage.dataset?.keys.join(', ')} (${lineage.dataset?.rowCount} rows), ` +
        `trained v${lineage.trained?.version}`,
    );
    process.stdout.write(
      [
        `Lineage:  curl -H "Authorization: Bearer <admin key>" "${api}/admin/epochs/1/lineage?pipeline=${pipeline}"`,
        `Models:   s3://${config.s3.buckets.models}/${pipeline}/   Datasets: s3://${config.s3.buckets.datasets}/${pipeline}/`,
        '',
      ].join('\n'),
    );
    return { pipeline, epochs };
  } finally {
    await dataSource.destroy();
  }
}

/** Only the latest demo run keeps its pipeline: the workers would otherwise keep every old loop subscribed. */
async function retireEarlierRuns(pipelines: PipelineService): Promise<void> {
  for (const pipeline of await pipelines.list())
    if (pipeline.name.startsWith(PIPELINE_PREFIX)) await pipelines.delete(pipeline.name);
}

function verdict(epochs: readonly EpochLineage[]): string {
  const live = epochs.map((epoch) => epoch.live?.auc).filter((auc): auc is number => auc !== undefined);
  const heldOut = epochs
    .map((epoch) => epoch.trained?.metrics.auc)
    .filter((auc): auc is number => auc !== undefined);
  if (live.length < 2 || heldOut.length < 2) return 'Too few epochs to compare.';
  const trend = (values: number[]) => values.map((v) => v.toFixed(4)).join(' -> ');
  return [
    `Live AUC of the serving model, epoch by epoch: ${trend(live)} (epoch 1 is scored by the prior alone).`,
    `Held-out AUC of each new version: ${trend(heldOut)} ` +
      (heldOut[heldOut.length - 1] > heldOut[0]
        ? '(improved over the loop).'
        : '(did not improve over the loop).'),
  ].join('\n');
}
