import { Logger } from '@nestjs/common';
import {
  AnyStageHandler,
  BatchItemResult,
  BatchStageHandler,
  deriveOutputId,
  HandlerError,
  isBatchHandler,
  StageContext,
  StageEvent,
  StageOutput,
} from '@gyre/pipelines';
import type { DatasetRow } from '@gyre/storage';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { ReplayError } from '../errors';
import type { DatasetPartWriter } from './dataset-part-writer';
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
  /** Feature names, when outputs carry `values` that the training dataset stores by name. */
  features: readonly string[];
}

/**
 * Target `pipelineStage`: runs each replayed event through the stage's handler, as the live stage
 * would (in order; one source partition at a time per sink; a batch handler gets up to BATCH_SIZE events
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

  constructor(
    private readonly run: StageRun,
    private readonly target: StreamTarget,
    private readonly dataset: DatasetPartWriter,
  ) {}

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
    if (input === undefined) return this.skip(event, 'INVALID_JSON');
    let result: BatchItemResult;
    try {
      result = await (this.run.handler as Exclude<AnyStageHandler, BatchStageHandler>).handle(
        input,
        this.context(),
      );
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    return this.settle(event, input.epoch, result);
  }

  /**
   * One batch through handleBatch, settled per event in order, as the single path would: a refused event
   * is skipped, a failed one fails with the same ReplayError, and holds back its key's later events of the
   * batch (they fail with it) so no key's outputs go out of order. Throwing fails the whole batch.
   */
  private async handleBatch(batch: readonly HeldEvent[]): Promise<void> {
    const handler = this.run.handler as BatchStageHandler;
    const inputs = batch.map(({ event }) => this.stageEvent(event));
    const valid = inputs.filter((input): input is StageEvent => input !== undefined);
    let results: readonly BatchItemResult[];
    try {
      results = valid.length === 0 ? [] : await handler.handleBatch(valid, this.context());
      if (!Array.isArray(results) || results.length !== valid.length)
        throw new Error(`handler "${handler.name}" returned a result list of the wrong length`);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      results = valid.map(() => failure);
    }
    const held = new Map<string, unknown>();
    let position = 0;
    for (const [index, { event, handled }] of batch.entries()) {
      const input = inputs[index];
      if (input === undefined) {
        handled.resolve(Promise.all(this.skip(event, 'INVALID_JSON')));
        continue;
      }
      const result = results[position++];
      const key = event.key ?? '';
      if (held.has(key)) {
        handled.reject(held.get(key));
        continue;
      }
      try {
        handled.resolve(Promise.all(this.settle(event, input.epoch, result)));
      } catch (error) {
        held.set(key, error);
        handled.reject(error);
      }
    }
  }

  private stageEvent(event: ReplayedEvent): StageEvent | undefined {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data.toString('utf8'));
    } catch {
      return undefined;
    }
    return {
      id: event.sourceEventId,
      key: event.key,
      epoch: event.sourceProperties[EVENT_PROPERTIES.epoch],
      payload,
      eventTime: event.eventTimestamp ?? event.publishTimestamp,
      properties: event.sourceProperties,
    };
  }

  private context(): StageContext {
    const { pipeline, stage, parameters, allowedLatenessMs } = this.run;
    // Late events are flagged in the rebuild's outputs; the live stage's metric counts live events only.
    return { pipeline, stage, attempt: 1, parameters, allowedLatenessMs, signal: this.signal.signal };
  }

  /** Issues the sends of one event's outputs, skips a refused event, or throws for a failed one. */
  private settle(
    event: ReplayedEvent,
    epoch: string | undefined,
    result: BatchItemResult | undefined,
  ): Array<Promise<unknown>> {
    const { jobId, pipeline, stage, output } = this.run;
    if (result instanceof HandlerError && !result.retriable) return this.skip(event, result.code);
    if (!Array.isArray(result))
      throw new ReplayError('REPLAY_TARGET_UNAVAILABLE', `stage ${stage} failed on a replayed event`, {
        retriable: true,
        cause: result,
      });
    const outputs: readonly StageOutput[] = result;
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
