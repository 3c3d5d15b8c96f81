import { Logger, LoggerService } from '@nestjs/common';
import type { Client } from '@gyre/pulsar';
import type { Pipeline, StageDefinition } from '../definition/pipeline-definition';
import type { HandlerRegistry } from '../handler/handler-registry';
import { describeFailure } from './message-codec';
import type { StageMetricsRegistry } from './stage-metrics';
import { StageRunner, StageRunnerState } from './stage-runner';

export interface StageSupervisorOptions {
  client: Client;
  registry: HandlerRegistry;
  topicOf: (stream: string) => string;
  metrics: StageMetricsRegistry;
  /** How long a stage removed or changed by a pipeline update may take to finish its in-flight events. */
  drainTimeoutMs: number;
  logger?: LoggerService;
}

export interface StageStatus {
  pipeline: string;
  stage: string;
  handler: string;
  state: StageRunnerState | 'not-running';
  inFlight: number;
  /** Why the stage is not running (handler not registered here, broker unreachable). */
  problem?: string;
}

interface DesiredStage {
  pipeline: string;
  stage: StageDefinition;
  fingerprint: string;
}

/** Keeps this process's stage runners in line with the stored pipelines. */
export class StageSupervisor {
  private readonly running = new Map<string, { fingerprint: string; runner: StageRunner }>();
  private readonly problems = new Map<string, { stage: DesiredStage; problem: string }>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly logger: LoggerService;

  constructor(private readonly options: StageSupervisorOptions) {
    this.logger = options.logger ?? new Logger('StageSupervisor');
  }

  /**
   * Starts the stages that are new (or changed), drains those that were removed (or changed).
   * Calls run one after another; a stage that cannot start is retried on the next call.
   */
  reconcile(pipelines: readonly Pipeline[]): Promise<void> {
    this.queue = this.queue.then(() => (this.closed ? undefined : this.apply(pipelines)));
    return this.queue;
  }

  status(): StageStatus[] {
    const running = [...this.running.values()].map(({ runner }) => runner.status);
    const failing = [...this.problems.values()].map(({ stage, problem }) => ({
      pipeline: stage.pipeline,
      stage: stage.stage.name,
      handler: stage.stage.handler,
      state: 'not-running' as const,
      inFlight: 0,
      problem,
    }));
    return [...running, ...failing].sort((a, b) =>
      `${a.pipeline}/${a.stage}`.localeCompare(`${b.pipeline}/${b.stage}`),
    );
  }

  /** Stops reconciling and drains every stage, each within `timeoutMs`, in parallel. */
  async drainAll(timeoutMs: number): Promise<void> {
    this.closed = true;
    await this.queue;
    const runners = [...this.running.values()].map(({ runner }) => runner);
    this.running.clear();
    await Promise.all(runners.map((runner) => runner.drain(timeoutMs)));
  }

  private async apply(pipelines: readonly Pipeline[]): Promise<void> {
    const desired = new Map<string, DesiredStage>();
    for (const pipeline of pipelines)
      for (const stage of pipeline.definition.stages)
        desired.set(stageKey(pipeline.name, stage.name), {
          pipeline: pipeline.name,
          stage,
          fingerprint: JSON.stringify(stage),
        });

    const outdated = [...this.running].filter(
      ([key, { fingerprint }]) => desired.get(key)?.fingerprint !== fingerprint,
    );
    await Promise.all(
      outdated.map(async ([key, { runner }]) => {
        this.running.delete(key);
        await runner.drain(this.options.drainTimeoutMs);
        this.logger.log({ msg: 'stage stopped: its pipeline changed', ...runner.status });
      }),
    );
    for (const key of this.problems.keys()) if (!desired.has(key)) this.problems.delete(key);

    for (const [key, want] of desired) {
      if (this.running.has(key) || this.closed) continue;
      await this.start(key, want);
    }
  }

  private async start(key: string, want: DesiredStage): Promise<void> {
    const { registry, client, topicOf, metrics } = this.options;
    if (!registry.has(want.stage.handler)) {
      this.recordProblem(key, want, `handler "${want.stage.handler}" is not registered in this process`);
      return;
    }
    const runner = new StageRunner({
      client,
      pipeline: want.pipeline,
      stage: want.stage,
      handler: registry.resolve(want.stage.handler),
      topicOf,
      metrics: metrics.for(want.pipeline, want.stage.name),
    });
    try {
      await runner.start();
    } catch (error) {
      this.recordProblem(key, want, describeFailure(error).text);
      return;
    }
    this.running.set(key, { fingerprint: want.fingerprint, runner });
    this.problems.delete(key);
    this.logger.log({ msg: 'stage started', ...runner.status, input: runner.inputTopic });
  }

  /** Logged when it changes, not on every poll. */
  private recordProblem(key: string, stage: DesiredStage, problem: string): void {
    if (this.problems.get(key)?.problem !== problem)
      this.logger.warn({
        msg: 'stage not running',
        pipeline: stage.pipeline,
        stage: stage.stage.name,
        problem,
      });
    this.problems.set(key, { stage, problem });
  }
}

function stageKey(pipeline: string, stage: string): string {
  return `${pipeline}/${stage}`;
}
