import { Injectable } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { featureDefinitionKey, MlError, resolveFeatureDefinition } from '@gyre/ml';
import { Pipeline, PipelineService } from '@gyre/pipelines';
import { DataSource } from 'typeorm';
import { ReplayError, ReplayProblem } from '../errors';

/** POST /admin/pipelines/{name}/feature-version: which definition a stage computes from now on. */
export interface FeatureVersionSwitch {
  /** `id@version`, e.g. fraud.card-features@2. */
  featureDefinition: string;
  /** The stage whose `featureDefinition` parameter changes; default `prepare`. */
  stage: string;
  /** Optimistic concurrency: the pipeline version the caller read; omitted = the current one. */
  expectedVersion?: number;
}

export interface FeatureVersionSwitched {
  pipeline: string;
  /** The pipeline's version after the change (unchanged when it already used this definition). */
  version: number;
  stage: string;
  featureDefinition: string;
  previous: string | null;
}

export function parseFeatureVersionSwitch(body: unknown): FeatureVersionSwitch {
  const problems: ReplayProblem[] = [];
  const value =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  if (!value) throw invalidSwitch([{ pointer: '', detail: 'must be a JSON object' }]);
  for (const name of Object.keys(value))
    if (!['featureDefinition', 'stage', 'expectedVersion'].includes(name))
      problems.push({ pointer: `/${name}`, detail: 'is not a known field' });
  const { featureDefinition, stage, expectedVersion } = value;
  if (typeof featureDefinition !== 'string' || featureDefinition === '')
    problems.push({ pointer: '/featureDefinition', detail: 'must name a definition as id@version' });
  if (stage !== undefined && (typeof stage !== 'string' || stage === ''))
    problems.push({ pointer: '/stage', detail: 'must be a stage name' });
  if (
    expectedVersion !== undefined &&
    !(Number.isInteger(expectedVersion) && (expectedVersion as number) >= 1)
  )
    problems.push({ pointer: '/expectedVersion', detail: 'must be an integer >= 1' });
  if (problems.length > 0) throw invalidSwitch(problems);
  return {
    featureDefinition: featureDefinition as string,
    stage: (stage as string | undefined) ?? 'prepare',
    ...(expectedVersion === undefined ? {} : { expectedVersion: expectedVersion as number }),
  };
}

/**
 * Switches a live pipeline's stage to another feature-definition version in one call: the stage's
 * `featureDefinition` parameter changes through PipelineService (a new pipeline version), and the
 * workers' pipeline watcher restarts the stage with it. Card states carry over: they do not depend
 * on the definition. Audited as `pipeline.feature-version`.
 */
@Injectable()
export class FeatureVersionService {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly dataSource: DataSource,
  ) {}

  async switch(name: string, request: FeatureVersionSwitch, actor: string): Promise<FeatureVersionSwitched> {
    let key: string;
    try {
      key = featureDefinitionKey(resolveFeatureDefinition(request.featureDefinition));
    } catch (error) {
      if (error instanceof MlError)
        throw invalidSwitch([{ pointer: '/featureDefinition', detail: error.message }]);
      throw error;
    }
    const pipeline = await this.pipelines.get(name);
    const stage = pipeline.definition.stages.find((candidate) => candidate.name === request.stage);
    if (!stage)
      throw new ReplayError('STAGE_NOT_FOUND', `pipeline "${pipeline.name}" has no stage "${request.stage}"`);
    const previous =
      typeof stage.parameters.featureDefinition === 'string' ? stage.parameters.featureDefinition : null;
    const definition = {
      ...pipeline.definition,
      stages: pipeline.definition.stages.map((candidate) =>
        candidate === stage
          ? { ...candidate, parameters: { ...candidate.parameters, featureDefinition: key } }
          : candidate,
      ),
    };
    const saved: Pipeline = await this.pipelines.save(pipeline.name, definition, {
      expectedVersion: request.expectedVersion ?? pipeline.version,
    });
    await this.dataSource.manager.save(
      Object.assign(new AuditLogEntry(), {
        actor,
        action: 'pipeline.feature-version',
        target: `pipeline/${pipeline.name}`,
        before: { version: pipeline.version, stage: stage.name, featureDefinition: previous },
        after: { version: saved.version, stage: stage.name, featureDefinition: key },
      }),
    );
    return {
      pipeline: saved.name,
      version: saved.version,
      stage: stage.name,
      featureDefinition: key,
      previous,
    };
  }
}

function invalidSwitch(problems: ReplayProblem[]): ReplayError {
  return new ReplayError('INVALID_FEATURE_VERSION_SWITCH', 'the feature version switch is invalid', {
    problems,
  });
}
