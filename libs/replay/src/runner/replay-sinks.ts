import { Injectable, Optional } from '@nestjs/common';
import type { ReplayJobRecord } from '@gyre/database';
import { resolveFeatureDefinition } from '@gyre/ml';
import { HandlerRegistry } from '@gyre/pipelines';
import type { Client } from '@gyre/pulsar';
import { DatasetRow, ParquetDatasetStore, S3Storage } from '@gyre/storage';
import { ReplayError } from '../errors';
import { ReplayDatasetStore } from '../jobs/replay-dataset.store';
import { ReplayLabelSource } from '../rebuild/replay-label-source';
import type { ReplayTarget } from '../model/replay-spec';
import { DatasetExportSink } from './dataset-export-sink';
import { DatasetPartWriter } from './dataset-part-writer';
import { featureVectorRows } from './feature-row';
import { PipelineStageSink } from './pipeline-stage-sink';
import type { ReplaySink } from './replay-sink';
import { ReplayRunnerSettings } from './replay-runner-settings';
import { StreamTarget } from './stream-target';

/** One claim's targets: a sink per source partition, and what to do once every partition is done. */
export interface JobSinks {
  open(partition: number): ReplaySink;
  complete(): Promise<void>;
}

/** What a claim knows that sinks need: the worker's client, topic names and its lease token. */
export interface SinkContext {
  client: Client;
  owner: string;
  topicOf(stream: string): string;
}

/** Builds the sinks of a job's target: a stream, a pipeline stage (feature rebuild) or a Parquet export. */
@Injectable()
export class ReplaySinkFactory {
  private handlers = new HandlerRegistry();
  private readonly parquet: ParquetDatasetStore;

  constructor(
    storage: S3Storage,
    private readonly datasets: ReplayDatasetStore,
    private readonly settings: ReplayRunnerSettings,
    @Optional() private readonly labels?: ReplayLabelSource,
  ) {
    this.parquet = new ParquetDatasetStore(storage);
  }

  /** The stage handlers this worker can replay through (the workers pass their registry). */
  useHandlers(handlers: HandlerRegistry): void {
    this.handlers = handlers;
  }

  async forJob(job: ReplayJobRecord, context: SinkContext): Promise<JobSinks> {
    const target = job.target as ReplayTarget;
    const producerName = (partition: number) => `gyre-replay-${job.id}-${partition}`;
    const streamTarget = async (stream: string) => {
      const topic = context.topicOf(stream);
      const partitions = (await context.client.getPartitionsForTopic(topic)).length;
      return (partition: number) =>
        new StreamTarget(context.client, topic, partitions, producerName(partition), partition);
    };
    if (target.kind === 'stream') {
      const open = await streamTarget(target.stream);
      return { open, complete: () => Promise.resolve() };
    }
    const dataset = await this.datasets.find(job.id);
    if (!dataset)
      throw new ReplayError('REPLAY_STAGE_NOT_RUNNABLE', `replay ${job.id} has no dataset manifest`);
    const writer = (partition: number, complete?: (rows: DatasetRow[]) => Promise<DatasetRow[]>) =>
      new DatasetPartWriter(
        {
          jobId: job.id,
          owner: context.owner,
          partition,
          bucket: dataset.bucket,
          prefix: dataset.prefix,
          metadata: dataset.metadata,
          columns: dataset.schema,
        },
        this.parquet,
        this.datasets,
        complete,
      );
    const cadence = {
      partEvents: this.settings.exportPartEvents,
      partIntervalMs: this.settings.exportPartIntervalMs,
    };
    const complete = () => this.datasets.complete(job.id);
    if (target.kind === 'datasetExport')
      return {
        open: (partition) => new DatasetExportSink(writer(partition), dataset.schema, cadence),
        complete,
      };

    if (!target.handler || !target.output || !this.handlers.has(target.handler))
      throw new ReplayError(
        'REPLAY_STAGE_NOT_RUNNABLE',
        `this worker cannot run handler "${target.handler ?? '?'}" of stage ${target.pipeline}/${target.stage}`,
        { retriable: true },
      );
    const definition = resolveFeatureDefinition(target.featureDefinition);
    const handler = this.handlers.resolve(target.handler);
    const output = target.output;
    const open = await streamTarget(output);
    const withLabels = async (rows: DatasetRow[]) => {
      const labels = this.labels
        ? await this.labels.labelsOf(
            target.pipeline,
            rows.map((row) => String(row.event_id)),
          )
        : new Map<string, number>();
      return rows.map((row) => ({ ...row, label: labels.get(String(row.event_id)) ?? null }));
    };
    const run = {
      jobId: job.id,
      pipeline: target.pipeline,
      stage: target.stage,
      handler,
      output,
      datasetRow: featureVectorRows(definition.features),
      allowedLatenessMs: target.allowedLatenessMs ?? 0,
      parameters: {
        ...(target.parameters ?? {}),
        featureDefinition: target.featureDefinition,
        output,
        // The rebuild's card states start empty and never touch the live stage's.
        stateScope: `replay-${job.id}`,
      },
    };
    return {
      open: (partition) => new PipelineStageSink(run, open(partition), writer(partition, withLabels)),
      complete,
    };
  }
}
