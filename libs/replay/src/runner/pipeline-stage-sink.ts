import { Logger } from '@nestjs/common';
import { deriveOutputId, HandlerError, StageContext, StageHandler, StageOutput } from '@gyre/pipelines';
import type { DatasetRow } from '@gyre/storage';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { ReplayError } from '../errors';
import type { DatasetPartWriter } from './dataset-part-writer';
import type { ReplayedEvent, ReplaySink } from './replay-sink';
import type { StreamTarget } from './stream-target';

/** Outputs one input may have: each gets sequence id `sequence * MAX_OUTPUTS + index`. */
const MAX_OUTPUTS = 16;

export interface StageRun {
  jobId: string;
  pipeline: string;
  stage: string;
  handler: StageHandler;
  /** The stage's parameters as snapshotted at job creation, with the rebuild's overrides. */
  parameters: Record<string, unknown>;
  /** The one stream the replayed stage may publish to (a versioned features stream). */
  output: string;
  /** Feature names, when outputs carry `values` that the training dataset stores by name. */
  features: readonly string[];
}

/**
 * Target `pipelineStage`: runs each replayed event through the stage's handler, as the live stage
 * would (in order; one source partition at a time per sink), publishes its outputs to the rebuild's own
 * stream and adds its feature vectors to the rebuild's training dataset (one Parquet part per checkpoint).
 * Resends after a resume are harmless: the handler is idempotent by event id (prepare re-emits the row
 * it recorded), outputs keep their derived ids and sequence ids (the broker drops repeats), and parts
 * are rewritten at the same keys. An event the handler refuses for good is skipped and logged, as the
 * live stage would dead-letter it.
 */
export class PipelineStageSink implements ReplaySink {
  private readonly logger = new Logger('ReplayStage');
  private tail: Promise<unknown> = Promise.resolve();
  private readonly signal = new AbortController();

  constructor(
    private readonly run: StageRun,
    private readonly target: StreamTarget,
    private readonly dataset: DatasetPartWriter,
  ) {}

  accept(event: ReplayedEvent): Promise<unknown> {
    // One event at a time, in scan order: the outputs' sequence ids must reach the broker increasing
    // (deduplication drops any lower one), and a key's events must be handled in order anyway.
    // The next event waits for this one's sends to be issued, not acknowledged.
    const handled = this.tail.then(() => this.handle(event));
    this.tail = handled.then(
      () => undefined,
      () => undefined,
    );
    return handled.then((sends) => Promise.all(sends));
  }

  flush(): Promise<void> {
    return this.dataset.flush();
  }

  async close(): Promise<void> {
    this.signal.abort();
    await this.target.close();
  }

  /** Runs the handler and issues the sends of its outputs (in order); resolves before they are acknowledged. */
  private async handle(event: ReplayedEvent): Promise<Array<Promise<unknown>>> {
    const { jobId, pipeline, stage, handler, parameters, output } = this.run;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data.toString('utf8'));
    } catch {
      return this.skip(event, 'INVALID_JSON');
    }
    const epoch = event.sourceProperties[EVENT_PROPERTIES.epoch];
    const context: StageContext = { pipeline, stage, attempt: 1, parameters, signal: this.signal.signal };
    let outputs: readonly StageOutput[];
    try {
      outputs = await handler.handle(
        {
          id: event.sourceEventId,
          key: event.key,
          epoch,
          payload,
          eventTime: event.eventTimestamp ?? event.publishTimestamp,
          properties: event.sourceProperties,
        },
        context,
      );
    } catch (error) {
      if (error instanceof HandlerError && !error.retriable) return this.skip(event, error.code);
      throw new ReplayError('REPLAY_TARGET_UNAVAILABLE', `stage ${stage} failed on a replayed event`, {
        retriable: true,
        cause: error,
      });
    }
    if (outputs.length > MAX_OUTPUTS || outputs.some((out) => out.stream !== output))
      throw new ReplayError(
        'REPLAY_STAGE_NOT_RUNNABLE',
        `a replayed stage may publish at most ${MAX_OUTPUTS} outputs per event, all to "${output}"`,
      );
    return outputs.map((out, index) => {
      const outputEpoch = out.epoch ?? epoch ?? '';
      this.record(event, out);
      return this.target.send({
        data: Buffer.from(JSON.stringify(out.payload)),
        partitionKey: out.key ?? event.key,
        eventTimestamp: event.eventTimestamp,
        sequenceId: event.sequence * MAX_OUTPUTS + index,
        properties: {
          ...(out.properties ?? {}),
          [EVENT_PROPERTIES.eventId]: deriveOutputId({
            inputId: event.sourceEventId,
            pipeline,
            stage,
            epoch: outputEpoch,
            stream: out.stream,
            part: out.part ?? String(index),
          }),
          [EVENT_PROPERTIES.parentId]: event.sourceEventId,
          [EVENT_PROPERTIES.stage]: `${pipeline}/${stage}`,
          [EVENT_PROPERTIES.replayJob]: jobId,
          [EVENT_PROPERTIES.replayedFrom]: event.position,
          ...(outputEpoch === '' ? {} : { [EVENT_PROPERTIES.epoch]: outputEpoch }),
        },
      });
    });
  }

  /** A feature vector becomes a training-dataset row (its label is added when the part is written). */
  private record(event: ReplayedEvent, out: StageOutput): void {
    const payload = out.payload as { eventId?: unknown; values?: unknown; timestamp?: unknown };
    const { features } = this.run;
    if (!Array.isArray(payload?.values) || payload.values.length !== features.length) return;
    const row: Record<string, string | number | null> = {
      event_id: typeof payload.eventId === 'string' ? payload.eventId : event.sourceEventId,
      key: out.key ?? event.key ?? null,
      event_time: typeof payload.timestamp === 'number' ? payload.timestamp : event.publishTimestamp,
    };
    const values = payload.values as unknown[];
    features.forEach((name, index) => (row[name] = Number(values[index])));
    this.dataset.add(event.sequence, row as DatasetRow);
  }

  private skip(event: ReplayedEvent, code: string): Array<Promise<unknown>> {
    this.logger.warn({
      msg: 'replayed event skipped by the stage',
      job: this.run.jobId,
      code,
      position: event.position,
    });
    return [];
  }
}
