import { Logger, LoggerService } from '@nestjs/common';
import {
  Client,
  Consumer,
  defaultDeadLetterTopic,
  Message,
  Producer,
  PulsarClientError,
  Transaction,
} from '@gyre/pulsar';
import {
  DEFAULT_BATCH_MAX_WAIT_MS,
  DEFAULT_TRANSACTION_TIMEOUT_MS,
  StageDefinition,
} from '../definition/pipeline-definition';
import { PipelineError } from '../errors';
import type { AnyStageHandler } from '../handler/stage-handler';
import { DeadLetterPath } from './dead-letter';
import { runKeyedReceive } from './keyed-receive';
import { settleKeyShared } from './keyed-settlement';
import { describeFailure } from './message-codec';
import { decideOnFailure } from './retry-policy';
import { settleShared } from './shared-settlement';
import { attemptBatch } from './stage-attempt';
import { StageMetrics } from './stage-metrics';
import type { StageWork } from './stage-work';
import { pause, settleWithin } from './timing';
import { handleInTransactions } from './transactional-handling';

export interface StageRunnerOptions {
  client: Client;
  pipeline: string;
  stage: StageDefinition;
  handler: AnyStageHandler;
  /** The full topic name of a stream (the streams namespace decides it). */
  topicOf: (stream: string) => string;
  metrics?: StageMetrics;
  logger?: LoggerService;
  random?: () => number;
}

export type StageRunnerState = 'new' | 'running' | 'draining' | 'closed';

// receive() wakes this often to notice a drain; a message that arrives meanwhile is handled at once.
const RECEIVE_POLL_MS = 250;
// Redelivery delay of a delivery the runner failed to settle; a handler failure's nack carries its backoff.
const NACK_DELAY_MS = 100;
// Deliveries past maxAttempts that no runner settled (a handler that crashes its process): after
// these the client diverts the event to the dead-letter topic by itself, so a crash loop ends.
const CRASH_ALLOWANCE = 3;

/**
 * Runs one stage in this process: receives from the stage's subscription, runs the handler with
 * bounded concurrency, publishes its outputs and acks the input only once the broker has receipted
 * every output (at-least-once; outputs carry deterministic ids so sinks make it exactly-once in effect).
 * Failures are retried with backoff and dead-lettered, with the reason, after maxAttempts.
 */
export class StageRunner {
  readonly inputTopic: string;
  readonly deadLetterTopic: string;
  private consumer?: Consumer;
  private readonly producers = new Map<string, Producer>();
  private deadLetterProducer?: Producer;
  private readonly inFlight = new Set<Promise<void>>();
  /** How this stage settles a delivery: Shared, Key_Shared, or in transactions (exactly-once). */
  private settle?: (messages: readonly Message[]) => Promise<void>;
  /** Aborted when the drain starts: no new attempt begins. */
  private readonly stopping = new AbortController();
  /** Aborted when the drain deadline passes: handlers are asked to give up (StageContext.signal). */
  private readonly deadline = new AbortController();
  private state: StageRunnerState = 'new';
  private loop?: Promise<void>;
  private closing?: Promise<void>;
  private readonly metrics: StageMetrics;
  private readonly logger: LoggerService;
  private readonly random: () => number;

  constructor(private readonly options: StageRunnerOptions) {
    const { stage, pipeline } = options;
    this.inputTopic = options.topicOf(stage.input.stream);
    this.deadLetterTopic = stage.deadLetterStream
      ? options.topicOf(stage.deadLetterStream)
      : defaultDeadLetterTopic(this.inputTopic, stage.input.subscription);
    this.metrics = options.metrics ?? new StageMetrics(pipeline, stage.name);
    this.logger = options.logger ?? new Logger('StageRunner');
    this.random = options.random ?? Math.random;
  }

  get status(): {
    pipeline: string;
    stage: string;
    handler: string;
    state: StageRunnerState;
    inFlight: number;
  } {
    const { pipeline, stage } = this.options;
    return {
      pipeline,
      stage: stage.name,
      handler: stage.handler,
      state: this.state,
      inFlight: this.inFlight.size,
    };
  }

  /** Opens the output producers, the dead-letter producer and the subscription, then starts receiving. */
  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new PipelineError('STAGE_START_FAILED', 'a stage runner starts only once');
    const { client, stage, topicOf } = this.options;
    try {
      // A broker without a transaction coordinator refuses here, named, rather than on every event.
      if (this.exactlyOnce) await (await client.newTransaction({ timeoutMs: 10_000 })).abort();
      for (const stream of stage.outputs)
        // Batched by key, so a Key_Shared subscription downstream still gets each key whole and in order
        // (an entry is dispatched by its one key). A delivery's outputs go out together: attemptBatch
        // flushes once it has handed them all over, so no batching delay holds up the input's ack; the
        // delay here only bounds what a flush missed.
        this.producers.set(
          stream,
          await client.createProducer({
            topic: topicOf(stream),
            batchingType: 'KeyBasedBatching',
            batchingMaxPublishDelayMs: 1,
          }),
        );
      this.deadLetterProducer = await client.createProducer({
        topic: this.deadLetterTopic,
        batchingEnabled: false,
      });
      this.consumer = await client.subscribe({
        topic: this.inputTopic,
        subscription: stage.input.subscription,
        subscriptionType: stage.input.subscriptionType === 'Key_Shared' ? 'KeyShared' : 'Shared',
        subscriptionInitialPosition: stage.input.initialPosition,
        // Prefetch no more than it can work on, so idle workers sharing the subscription get the rest.
        receiverQueueSize: stage.concurrency * this.batchSize,
        nAckRedeliverTimeoutMs: NACK_DELAY_MS,
        // A failing event must not bring back the acked events of its batch entry.
        batchIndexAckEnabled: true,
        deadLetterPolicy: {
          maxRedeliverCount: stage.retry.maxAttempts + CRASH_ALLOWANCE,
          deadLetterTopic: this.deadLetterTopic,
        },
      });
    } catch (error) {
      this.state = 'closed';
      await this.closeResources();
      throw new PipelineError(
        'STAGE_START_FAILED',
        `stage "${stage.name}" could not start: ${describeFailure(error).text}`,
        {
          retriable: error instanceof PulsarClientError ? error.retriable : true,
          cause: error,
        },
      );
    }
    this.settle = this.settlementOf(this.work(this.consumer, this.deadLetterProducer));
    this.state = 'running';
    this.loop = this.keyShared ? this.receiveKeyed(this.consumer) : this.receiveLoop();
  }

  /**
   * Graceful stop: receives nothing more, lets in-flight events finish (publish, ack) for up to
   * `timeoutMs`, then closes. What is left unacked (backoffs, events past the deadline) is redelivered.
   */
  drain(timeoutMs: number): Promise<void> {
    this.closing ??= this.runDrain(timeoutMs);
    return this.closing;
  }

  private async runDrain(timeoutMs: number): Promise<void> {
    if (this.state === 'new' || this.state === 'closed') {
      this.state = 'closed';
      return;
    }
    this.state = 'draining';
    this.stopping.abort();
    await this.loop;
    const finished = await settleWithin([...this.inFlight], timeoutMs);
    if (!finished) {
      this.deadline.abort();
      this.logger.warn({
        msg: 'stage drain deadline passed; unfinished events are left to redelivery',
        ...this.labels(),
        inFlight: this.inFlight.size,
      });
    }
    this.state = 'closed';
    await this.closeResources();
  }

  private async receiveLoop(): Promise<void> {
    const consumer = this.consumer!;
    while (this.state === 'running') {
      if (this.inFlight.size >= this.options.stage.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      let message: Message;
      try {
        message = await consumer.receive(RECEIVE_POLL_MS);
      } catch (error) {
        if (error instanceof PulsarClientError && error.code === 'TIMEOUT') continue;
        if (this.state !== 'running') break;
        this.logger.warn({
          msg: 'stage receive failed; retrying',
          ...this.labels(),
          reason: describeFailure(error).text,
        });
        await pause(RECEIVE_POLL_MS, this.stopping.signal);
        continue;
      }
      // Stopped while waiting: leave it unacked, the broker redelivers it once this consumer closes.
      if (this.state !== 'running') break;
      // Every delivery is a batch (of one when batchSize is 1).
      void this.dispatch(await this.fillBatch(message));
    }
  }

  /** Key_Shared: a key's events wait for its batch in flight, never a batch for another (see runKeyedReceive). */
  private receiveKeyed(consumer: Consumer): Promise<void> {
    const { stage } = this.options;
    return runKeyedReceive({
      consumer,
      running: () => this.state === 'running',
      stopping: this.stopping.signal,
      concurrency: stage.concurrency,
      batchSize: this.batchSize,
      batchMaxWaitMs: stage.batchMaxWaitMs ?? DEFAULT_BATCH_MAX_WAIT_MS,
      inFlight: () => this.inFlight.size,
      dispatch: (batch) => this.dispatch(batch),
      warn: (fields) => this.logger.warn({ ...fields, ...this.labels() }),
    });
  }

  private get exactlyOnce(): boolean {
    return this.options.stage.delivery === 'exactly-once';
  }

  private get keyShared(): boolean {
    return this.options.stage.input.subscriptionType === 'Key_Shared';
  }

  private get batchSize(): number {
    return this.options.stage.batchSize ?? 1;
  }

  /** Settles a delivery (a batch, of one when batchSize is 1); resolves once it is settled. */
  private dispatch(messages: Message[]): Promise<void> {
    const work = (async () => {
      this.metrics.inFlight += messages.length;
      try {
        await this.settle!(messages);
      } finally {
        this.metrics.inFlight -= messages.length;
      }
    })();
    this.inFlight.add(work);
    void work.then(() => this.inFlight.delete(work));
    return work;
  }

  private settlementOf(work: StageWork): (messages: readonly Message[]) => Promise<void> {
    const { client, stage } = this.options;
    if (this.exactlyOnce) {
      const transactional = {
        client,
        keyShared: this.keyShared,
        transactionTimeoutMs: stage.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
      };
      return (messages) => handleInTransactions(work, transactional, messages);
    }
    return this.keyShared
      ? (messages) => settleKeyShared(work, messages)
      : (messages) => settleShared(work, messages);
  }

  private work(consumer: Consumer, deadLetterProducer: Producer): StageWork {
    const { pipeline, stage } = this.options;
    const deadLetters = new DeadLetterPath(deadLetterProducer, consumer, { pipeline, stage: stage.name });
    return {
      consumer,
      stopping: this.stopping.signal,
      attempt: (messages, attempt, txn) => this.attempt(messages, attempt, txn),
      decide: (error, attempt) => decideOnFailure(stage.retry, attempt, error, this.random),
      deadLetter: (message, error, attempts, txn) => deadLetters.divert(message, error, attempts, txn),
      deadLetterRetryMs: stage.retry.initialBackoffMs,
      settled: ({ processed = 0, deadLettered = 0, retried = 0 }) => {
        this.metrics.processed += processed;
        this.metrics.deadLettered += deadLettered;
        this.metrics.retried += retried;
      },
      warn: (fields) => this.logger.warn({ ...fields, ...this.labels() }),
      error: (fields) => this.logger.error({ ...fields, ...this.labels() }),
      redeliver: (messages, error) => {
        this.logger.error({
          msg: 'stage failed to settle a delivery; it will be redelivered',
          ...this.labels(),
          events: messages.length,
          reason: describeFailure(error).text,
        });
        if (this.state !== 'closed') for (const message of messages) consumer.negativeAcknowledge(message);
      },
    };
  }

  /** Adds what arrives within batchMaxWaitMs of the first event, up to batchSize. */
  private async fillBatch(first: Message): Promise<Message[]> {
    const batch = [first];
    const deadline = Date.now() + (this.options.stage.batchMaxWaitMs ?? DEFAULT_BATCH_MAX_WAIT_MS);
    while (batch.length < this.batchSize && this.state === 'running') {
      try {
        batch.push(await this.consumer!.receive(Math.max(0, deadline - Date.now())));
      } catch {
        break; // the wait is over (or the consumer is closing: the batch so far is handled)
      }
    }
    return batch;
  }

  private attempt(messages: readonly Message[], attempt: number, txn?: Transaction): Promise<unknown[]> {
    const { pipeline, stage, handler } = this.options;
    return attemptBatch(messages, {
      handler,
      stage: { pipeline, name: stage.name, outputs: stage.outputs },
      context: {
        pipeline,
        stage: stage.name,
        attempt,
        parameters: stage.parameters,
        outputs: stage.outputs,
        allowedLatenessMs: stage.allowedLatenessMs ?? 0,
        observeLateEvent: () => {
          this.metrics.lateEvents += 1;
        },
        signal: this.deadline.signal,
      },
      publish: (encoded) =>
        Promise.all(encoded.map(({ stream, message }) => this.producers.get(stream)!.send(message, txn))),
      flush: () => {
        for (const producer of this.producers.values()) void producer.flush();
      },
      observeHandlerSeconds: (seconds) => this.metrics.observeHandlerSeconds(seconds),
    });
  }

  private async closeResources(): Promise<void> {
    const results = await Promise.allSettled([
      // The consumer first: closing flushes the acks of everything that finished.
      this.consumer?.close(),
    ]);
    results.push(
      ...(await Promise.allSettled(
        [...this.producers.values(), this.deadLetterProducer].map((p) => p?.close()),
      )),
    );
    for (const result of results)
      if (result.status === 'rejected')
        this.logger.warn({
          msg: 'closing a stage resource failed',
          ...this.labels(),
          reason: describeFailure(result.reason).text,
        });
  }

  private labels(): { pipeline: string; stage: string } {
    return { pipeline: this.options.pipeline, stage: this.options.stage.name };
  }
}
