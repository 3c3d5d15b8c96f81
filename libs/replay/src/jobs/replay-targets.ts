import { Injectable } from '@nestjs/common';
import { FeatureDefinition, featureDefinitionKey, MlError, resolveFeatureDefinition } from '@gyre/ml';
import { PipelineError, PipelineService, StageDefinition } from '@gyre/pipelines';
import { DatasetColumn, S3Storage } from '@gyre/storage';
import { StreamCatalog, StreamsError, StreamView } from '@gyre/streams';
import { invalidReplay } from '../errors';
import { exportColumns, PAYLOAD_JSON_COLUMN } from '../model/export-columns';
import type { ReplayRequest, ReplayTarget } from '../model/replay-spec';
import type { ReplayDatasetRecord } from './replay-dataset.store';

type NewDataset = Omit<ReplayDatasetRecord, 'state' | 'rowCount' | 'sizeBytes' | 'completedAt'>;

/** A request's target, with its defaults filled in, and the dataset it will write (if any). */
export interface ResolvedTarget {
  target: ReplayTarget;
  dataset?: NewDataset;
}

/**
 * Checks a replay's target against the catalog and the pipelines, fills its defaults, creates a missing
 * target stream, and describes the dataset it writes. Everything a job needs is decided here, when it is
 * created, so workers run it the same way whatever changes afterwards.
 */
@Injectable()
export class ReplayTargets {
  constructor(
    private readonly catalog: StreamCatalog,
    private readonly pipelines: PipelineService,
    private readonly storage: S3Storage,
  ) {}

  async resolve(
    request: ReplayRequest,
    source: StreamView,
    jobId: string,
    actor: string,
  ): Promise<ResolvedTarget> {
    const target = request.target;
    if (target.kind === 'stream') {
      if (target.stream === source.name)
        throw invalidReplay([{ pointer: '/target/stream', detail: 'must differ from the source stream' }]);
      await this.ensureStream(target.stream, source, actor, '/target/stream');
      return { target };
    }
    if (target.kind === 'datasetExport') {
      const schema = exportColumns(source.schema);
      return {
        target,
        dataset: {
          jobId,
          dataset: target.dataset,
          bucket: this.storage.buckets.datasets,
          prefix: `exports/${target.dataset}/${jobId}`,
          schema,
          metadata: {
            'gyre.source-stream': source.name,
            'gyre.payload-columns': schema.includes(PAYLOAD_JSON_COLUMN) ? 'json' : 'schema',
          },
        },
      };
    }
    const definition = this.definition(target.featureDefinition);
    const stage = await this.stage(target.pipeline, target.stage);
    if (stage.input.stream !== source.name)
      throw invalidReplay([
        {
          pointer: '/source',
          detail: `must be the input stream of stage ${target.stage} ("${stage.input.stream}")`,
        },
      ]);
    const liveOutput =
      typeof stage.parameters.output === 'string' ? stage.parameters.output : stage.outputs[0];
    const output = target.output ?? `${liveOutput}.v${definition.version}`;
    if (output === source.name || stage.outputs.includes(output))
      throw invalidReplay([
        {
          pointer: '/target/output',
          detail: 'must be a new stream, not the source or a live output of the stage',
        },
      ]);
    // The new stream looks like the live output (schema, partitions, owner), or like the source without one.
    const template = await this.catalog.describe(liveOutput).catch((error: unknown) => {
      if (error instanceof StreamsError && error.code === 'STREAM_NOT_FOUND') return source;
      throw error;
    });
    await this.ensureStream(output, template, actor, '/target/output');
    const key = featureDefinitionKey(definition);
    return {
      target: {
        ...target,
        output,
        handler: stage.handler,
        parameters: stage.parameters,
        ...(stage.allowedLatenessMs === undefined ? {} : { allowedLatenessMs: stage.allowedLatenessMs }),
      },
      dataset: {
        jobId,
        dataset: `${target.pipeline}/rebuilds/${key}`,
        bucket: this.storage.buckets.datasets,
        prefix: `${target.pipeline}/rebuilds/${key}/${jobId}`,
        schema: trainingColumns(definition),
        metadata: {
          'gyre.feature-definition': key,
          'gyre.pipeline': target.pipeline,
          'gyre.stage': target.stage,
          'gyre.source-stream': source.name,
          'gyre.features-stream': output,
        },
      },
    };
  }

  private definition(reference: string): FeatureDefinition {
    try {
      return resolveFeatureDefinition(reference);
    } catch (error) {
      if (error instanceof MlError)
        throw invalidReplay([{ pointer: '/target/featureDefinition', detail: error.message }]);
      throw error;
    }
  }

  private async stage(pipeline: string, name: string): Promise<StageDefinition> {
    const found = await this.pipelines.get(pipeline).catch((error: unknown) => {
      if (error instanceof PipelineError && error.code === 'PIPELINE_NOT_FOUND')
        throw invalidReplay([
          { pointer: '/target/pipeline', detail: `pipeline "${pipeline}" does not exist` },
        ]);
      throw error;
    });
    const stage = found.definition.stages.find((candidate) => candidate.name === name);
    if (!stage)
      throw invalidReplay([
        { pointer: '/target/stage', detail: `pipeline "${pipeline}" has no stage "${name}"` },
      ]);
    return stage;
  }

  private async ensureStream(
    stream: string,
    like: StreamView,
    actor: string,
    pointer: string,
  ): Promise<void> {
    try {
      await this.catalog.describe(stream);
    } catch (error) {
      if (!(error instanceof StreamsError && error.code === 'STREAM_NOT_FOUND')) throw error;
      await this.catalog
        .create(
          { name: stream, ownerTeam: like.ownerTeam, partitions: like.partitions, schema: like.schema },
          actor,
        )
        .catch((creation: unknown) => {
          // Another request created it meanwhile: fine. A bad name is the request's fault.
          if (creation instanceof StreamsError && creation.code === 'STREAM_EXISTS') return;
          if (creation instanceof StreamsError && creation.code === 'INVALID_STREAM_DEFINITION')
            throw invalidReplay([{ pointer, detail: 'is not a valid stream name' }]);
          throw creation;
        });
    }
  }
}

/** A rebuild's training dataset: the event, its features by name, and its label as known when written. */
export function trainingColumns(definition: FeatureDefinition): DatasetColumn[] {
  return [
    { name: 'event_id', type: 'string' },
    { name: 'key', type: 'string', nullable: true },
    { name: 'event_time', type: 'timestamp' },
    ...definition.features.map((name): DatasetColumn => ({ name, type: 'double' })),
    { name: 'label', type: 'int64', nullable: true },
  ];
}
