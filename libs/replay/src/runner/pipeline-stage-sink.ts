import { Logger } from '@nestjs/common';
import {
  AnyStageHandler,
  executeStage,
  ExecutionResult,
  isBatchHandler,
  StageEvent,
  StageExecution,
  toStageEvent,
} from '@gyre/pipelines';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { ReplayError } from '../errors';
import type { DatasetPartWriter } from './dataset-part-writer';
import type { FeatureRowReader } from './feature-row';
import type { ReplayedEvent, ReplaySink } from './replay-sink';
import type { StreamTarget } from './stream-target';

/** Outputs one input may have: each gets sequence id `sequence * MAX_OUTPUTS + index`. */
const MAX_OUTPUTS = 16;
/** Events a batch handler gets at once (one transaction each for prepare); fewer at a checkpoint. */
const BATCH_SIZE = 64;

interface HeldEvent {
  event: ReplayedEvent;
  handled: { resolve(sends: Promise<unknown>): void; reject(error: unknown): void };
}

export interface StageRun {
  jobId: string;
  pipeline: string;
  stage: string;
  /** As registered: a batch handler gets batches of one partition's events, in read order. */
  handler: AnyStageHandler;
  /** The stage's parameters as snapshotted at job creation, with the rebuild's overrides. */
  parameters: Record<string, unknown>;
  /** The live stage's allowedLatenessMs: the same events out of order get the same features. */
  allowedLatenessMs: number;
  /** The one stream the replayed stage may publish to (a versioned features stream). */
  output: string;
  /** The training-dataset row an output holds, if any (see FeatureVectorPayload). */
  datasetRow: FeatureRowReader;
}

/**
 * Target `pipelineStage`: runs each replayed event through the stage's handler, as the live stage
 * would, through the same executeStage (in order; one source partition at a time per sink; a batch handler gets up to BATCH_SIZE events
 * at once, handed over when full or when the partition drains before a checkpoint, so a checkpoint only
 * covers committed batches), publishes its outputs to the rebuild's own stream and adds its feature
 * vectors to the rebuild's training dataset (one Parquet part per checkpoint).
 * Resends after a resume are harmless: the handler is idempotent by event id (prepare re-emits the row
 * it recorded), outputs keep their derived ids and sequence ids (the broker drops repeats), and parts
 * are rewritten at the same keys. An event the handler refuses for good is skipped and logged, as the
 * live stage would dead-letter it.
 */
export class PipelineStageSink implements ReplaySink {
  private readonly logger = new Logger('ReplayStage');
  private tail: Promise<unknown> = Promise.resolve();
  private readonly signal = new AbortController();
  private held: HeldEvent[] = [];
  private readonly execution: StageExecution;

  constructor(
    private readonly run: StageRun,
    private readonly target: StreamTarget,
    private readonly dataset: DatasetPartWriter,
  ) {
    const { pipeline, stage, parameters, allowedLatenessMs, output } = run;
    this.execution = {
      handler: run.handler,
      stage: { pipeline, name: stage, outputs: [output] },
      // Late events are flagged in the rebuild's outputs; the live stage's metric counts live events only.
      context: { pipeline, stage, attempt: 1, parameters, allowedLatenessMs, signal: this.signal.signal },
    };
  }

  accept(event: ReplayedEvent): Promise<unknown> {
    if (isBatchHandler(this.run.handler)) {
      const accepted = new Promise<unknown>((resolve, reject) =>
        this.held.push({ event, handled: { resolve, reject } }),
      );
      // Awaited only at the next checkpoint: a failure before then is not an unhandled rejection.
      accepted.catch(() => undefined);
      if (this.held.length >= BATCH_SIZE) this.drain();
      return accepted;
    }
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

  /** Hands the held events to the batch handler, after the batches before them (same ordering as above). */
  drain(): void {
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    // Whatever goes wrong settles every held event, so the partition's wait for them always ends.
    this.tail = this.tail
      .then(() => this.handleBatch(batch))
      .catch((error: unknown) => batch.forEach(({ handled }) => handled.reject(error)));
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
    const input = this.stageEvent(event);
    if (input instanceof Error) return this.skip(event, input);
    const [result] = await executeStage([input], this.execution);
    return this.settle(event, input, result);
  }

  /**
   * One batch through the handler, settled per event in order, as the single path would: a refused event
   * is skipped, a failed one fails with the same ReplayError, and holds back its key's later events of the
   * batch (they fail with it) so no key's outputs go out of order.
   */
  private async handleBatch(batch: readonly HeldEvent[]): Promise<void> {
    const inputs = batch.map(({ event }) => this.stageEvent(event));
    const valid = inputs.filter((input): input is StageEvent => !(input instanceof Error));
    const results = await executeStage(valid, this.execution);
    const held = new Map<string, unknown>();
    let position = 0;
    for (const [index, { event, handled }] of batch.entries()) {
      const input = inputs[index];
      if (input instanceof Error) {
        handled.resolve(Promise.all(this.skip(event, input)));
        continue;
      }
      const result = results[position++];
      const key = event.key ?? '';
      if (held.has(key)) {
        handled.reject(held.get(key));
        continue;
      }
      try {
        handled.resolve(Promise.all(this.settle(event, input, result)));
      } catch (error) {
        held.set(key, error);
        handled.reject(error);
      }
    }
  }

  /** The event as the live stage would decode it; a payload that is not JSON is an Error (skipped). */
  private stageEvent(event: ReplayedEvent): StageEvent | Error {
    try {
      return toStageEvent({
        data: event.data,
        properties: event.sourceProperties,
        key: event.key,
        fallbackId: event.sourceEventId,
        eventTimestamp: event.eventTimestamp,
        publishTimestamp: event.publishTimestamp,
      });
    } catch (error) {
      return error as Error;
    }
  }

  /**
   * Issues the sends of one event's outputs, skips an event the live stage would dead-letter at once
   * (a failure that says it is not retriable), or throws for a failed one.
   */
  private settle(event: ReplayedEvent, input: StageEvent, result: ExecutionResult): Array<Promise<unknown>> {
    const { jobId, stage, output } = this.run;
    if (isCode(result, 'UNDECLARED_OUTPUT') || (!(result instanceof Error) && result.length > MAX_OUTPUTS))
      throw new ReplayError(
        'REPLAY_STAGE_NOT_RUNNABLE',
        `a replayed stage may publish at most ${MAX_OUTPUTS} outputs per event, all to "${output}"`,
      );
    if (result instanceof Error) {
      if ((result as { retriable?: unknown }).retriable === false) return this.skip(event, result);
      throw new ReplayError('REPLAY_TARGET_UNAVAILABLE', `stage ${stage} failed on a replayed event`, {
        retriable: true,
        cause: result,
      });
    }
    return result.map(({ message, output: out }, index) => {
      const row = this.run.datasetRow(out, input);
      if (row) this.dataset.add(event.sequence, row);
      return this.target.send({
        ...message,
        sequenceId: event.sequence * MAX_OUTPUTS + index,
        properties: {
          ...message.properties,
          [EVENT_PROPERTIES.replayJob]: jobId,
          [EVENT_PROPERTIES.replayedFrom]: event.position,
        },
      });
    });
  }

  private skip(event: ReplayedEvent, error: Error): Array<Promise<unknown>> {
    this.logger.warn({
      msg: 'replayed event skipped by the stage',
      job: this.run.jobId,
      code: (error as { code?: unknown }).code ?? error.name,
      position: event.position,
    });
    return [];
  }
}

function isCode(result: ExecutionResult, code: string): boolean {
  return result instanceof Error && (result as { code?: unknown }).code === code;
}
