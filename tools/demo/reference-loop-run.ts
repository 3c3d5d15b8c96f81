import type { GyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import {
  CardTransaction,
  DriftMode,
  generateDriftingScenario,
  OutcomeDelays,
  TransactionOutcome,
} from '@gyre/ml';
import { PipelineService } from '@gyre/pipelines';
import {
  EpochMaturity,
  EpochSummary,
  ModelRolesView,
  MonitoringReport,
  referenceLoopDefinition,
  referenceLoopStreams,
} from '@gyre/example-fraud-loop';
import { waitFor } from '../testing/wait-for';
import { appUrl } from './app-url';
import { GyreHttp } from './gyre-http';
import { championVerdict, formatChampionTable } from './champion-table';
import { completedSteps, EpochTimeline, epochProgress } from './epoch-progress';
import { formatEpochTable } from './loop-table';
import { formatLabelMaturity } from './maturity-table';
import { describeConditions, formatFrozenVersusLoop, frozenVersusLoopVerdict } from './frozen-table';
import { formatApiMonitoring } from './monitoring-table';
import { compareFrozenWithLoop, FrozenVersusLoop } from './model-comparison';

const PIPELINE_PREFIX = 'fraud-demo-';
/**
 * Epochs 1-2 (the world's baseline, before any drift) are the labelled history the loop starts from: v2, trained
 * on all of their labels, serves from epoch 3 and is the frozen model the loop is compared with. The frozen
 * model thus has the loop's data and warm features up to the drift, so what separates them is what came after.
 */
const HISTORY_EPOCHS = 2;
/**
 * The drift comes one epoch after the frozen model starts serving: that epoch shows it live on the world it was
 * trained for, the next ones what drift does to it and what the loop does about it.
 */
const DRIFT_EPOCH = HISTORY_EPOCHS + 2;
/** Each version trains on the latest two epochs: once the world has changed, its past stops outvoting it. */
const TRAINING_WINDOW_EPOCHS = 2;

export interface ReferenceLoopRun {
  epochs: number;
  eventsPerEpoch: number;
  seed: string;
  drift: DriftMode;
  /** How late outcomes come (a preset of the scenario's OutcomeDelays); default DEFAULT_OUTCOME_DELAYS. */
  labelDelays?: { name: string; delays: OutcomeDelays };
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
): Promise<{ pipeline: string; epochs: EpochSummary[]; frozenVersusLoop: FrozenVersusLoop[] }> {
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
      referenceLoopDefinition(streams, {
        minExamples,
        seed: options.seed,
        concurrency: 8,
        historyEpochs: HISTORY_EPOCHS,
        trainingWindowEpochs: TRAINING_WINDOW_EPOCHS,
      }),
    );
    say(
      `pipeline ${pipeline}: ${options.epochs} epochs (a simulated week each) of ${options.eventsPerEpoch} ` +
        `transactions, drift "${options.drift}", label delays "${options.labelDelays?.name ?? 'default'}"; an epoch trains the next model version once it has ` +
        `${minExamples} labelled examples`,
    );
    const world = generateDriftingScenario({
      seed: options.seed,
      epochs: options.epochs,
      eventsPerEpoch: options.eventsPerEpoch,
      drift: options.drift,
      attackEpoch: DRIFT_EPOCH,
      outcomeDelays: options.labelDelays?.delays,
    });
    const started = Date.now();
    for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
      const { transactions, outcomes, conditions } = world[epoch - 1];
      const posting = Date.now();
      await postDayByDay(http, streams, transactions, outcomes);
      const posted = Date.now();
      const timeline = new EpochTimeline(posted);
      const version = await waitFor(
        async () => {
          const progress = await epochProgress(dataSource, pipeline, epoch);
          timeline.observe(completedSteps(progress, epoch, transactions.length), Date.now());
          return progress.latestVersion >= epoch ? progress.latestVersion : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 200, description: `model version ${epoch}` },
      );
      say(
        `epoch ${epoch} (${describeConditions(conditions)}): ${transactions.length} transactions and ` +
          `${outcomes.length} labels posted in ${((posted - posting) / 1000).toFixed(1)} s; then ` +
          `${timeline.describe()} (v${version}); ${((Date.now() - started) / 1000).toFixed(1)} s so far`,
      );
    }
    // Everything below through the admin API, as an operator would read it; only the frozen model's rescoring
    // of the stored rows is the demo's own.
    const epochs = ((await http.get(`/admin/epochs?pipeline=${pipeline}`)) as EpochSummary[]).filter(
      (epoch) => epoch.events > 0,
    );
    const frozenVersusLoop = await compareFrozenWithLoop(
      config,
      dataSource,
      pipeline,
      epochs,
      world.map((epoch) => epoch.conditions),
      options.seed,
      HISTORY_EPOCHS,
    );
    const roles = (await http.get(`/admin/pipelines/${pipeline}/models`)) as ModelRolesView;
    const maturity = (await http.get(`/admin/pipelines/${pipeline}/label-maturity`)) as EpochMaturity[];
    const monitoring = (await http.get(
      `/admin/monitoring?pipeline=${pipeline}&window=epoch`,
    )) as MonitoringReport;
    process.stdout.write(`\nWhat each epoch saw, served and trained:\n${formatEpochTable(epochs)}\n\n`);
    process.stdout.write(
      [
        `Lineage:  curl -H "Authorization: Bearer <admin key>" "${api}/admin/epochs?pipeline=${pipeline}"`,
        `Models:   s3://${config.s3.buckets.models}/${pipeline}/   Datasets: s3://${config.s3.buckets.datasets}/${pipeline}/`,
        '',
        "Labels by maturity (share of an epoch's events labelled and the served AUC, 1 and 7 days after each",
        "transaction and now; a version trains on the history's labels and on later ones known by its epoch's end):",
        formatLabelMaturity(maturity.filter((m) => epochs.some((e) => e.epoch === m.epoch))),
        '',
        'Champion and challenger (a new version scores in shadow; it serves once it beats the champion on the same',
        'matured events; GET /admin/epochs, scoredBy and roleChanges):',
        formatChampionTable(epochs),
        '',
        'Model monitoring of each served version and of the challenger that scored the same events in shadow, each',
        `against its own training rows (GET /admin/monitoring; thresholds: feature PSI ${monitoring.thresholds.featurePsi}, score PSI ${monitoring.thresholds.predictionPsi}, ECE ${monitoring.thresholds.ece}):`,
        formatApiMonitoring(monitoring),
        '',
        `The loop against v${HISTORY_EPOCHS} kept frozen (trained once on the history, epochs 1-${HISTORY_EPOCHS}), live on the same events:`,
        formatFrozenVersusLoop(frozenVersusLoop),
        '',
        frozenVersusLoopVerdict(frozenVersusLoop),
        championVerdict(roles.changes),
        '',
      ].join('\n'),
    );
    return { pipeline, epochs, frozenVersusLoop };
  } finally {
    await dataSource.destroy();
  }
}

/** Only the latest demo run keeps its pipeline: the workers would otherwise keep every old loop subscribed. */
async function retireEarlierRuns(pipelines: PipelineService): Promise<void> {
  for (const pipeline of await pipelines.list())
    if (pipeline.name.startsWith(PIPELINE_PREFIX)) await pipelines.delete(pipeline.name);
}

const DAY = 24 * 3_600_000;

/**
 * Posts an epoch a simulated day at a time: that day's transactions, then the outcomes that became
 * known that day, so label rates grow through the week as they would live; outcomes known only after
 * the epoch's last day come with it (the demo does not wait for them).
 */
async function postDayByDay(
  http: GyreHttp,
  streams: ReturnType<typeof referenceLoopStreams>,
  transactions: readonly CardTransaction[],
  outcomes: readonly TransactionOutcome[],
): Promise<void> {
  const first = transactions[0].timestamp;
  const last = transactions[transactions.length - 1].timestamp;
  for (let dayStart = first; dayStart <= last; dayStart += DAY) {
    const dayEnd = dayStart + DAY;
    const finalDay = dayEnd > last;
    const day = transactions.filter((tx) => tx.timestamp >= dayStart && tx.timestamp < dayEnd);
    const known = outcomes.filter((o) =>
      finalDay ? o.reportedAt >= dayStart : o.reportedAt >= dayStart && o.reportedAt < dayEnd,
    );
    if (day.length > 0)
      await http.postEvents(
        streams.transactions,
        day.map((tx) => ({ id: tx.eventId, key: tx.cardId, eventTime: tx.timestamp, payload: tx })),
      );
    if (known.length > 0)
      await http.postEvents(
        streams.labels,
        known.map((o) => ({ id: `label-${o.eventId}`, key: o.cardId, eventTime: o.reportedAt, payload: o })),
      );
  }
}
