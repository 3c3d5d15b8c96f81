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
import { attemptBatch } from './batch-attempt';
import { KeyLanes } from './key-lanes';
import { settleKeyedBatch } from './keyed-batch';
import { describeFailure, encodeDeadLetter } from './message-codec';
import { decideOnFailure } from './retry-policy';
import { pause, settleWithin } from './timing';
import { StageMetrics } from './stage-metrics';
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
// The runner times its own backoff and nacks when it is over, so the client's nack delay stays short.
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
  private readonly lanes = new KeyLanes();
  private readonly backoffTimers = new Set<NodeJS.Timeout>();
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
        // Unbatched: the client has no key-based batching, and a mixed-key batch would break Key_Shared downstream.
        this.producers.set(
          stream,
          await client.createProducer({ topic: topicOf(stream), batchingEnabled: false }),
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
    this.state = 'running';
    this.loop = this.receiveLoop();
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
    for (const timer of this.backoffTimers) clearTimeout(timer);
    this.backoffTimers.clear();
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
      if (this.exactlyOnce)
        this.track(this.handleOnce(this.batchSize === 1 ? [message] : await this.fillBatch(message)));
      else if (this.batchSize === 1) this.track(this.dispatch(message));
      else if (!this.keyShared) this.track(this.handleBatch(await this.fillBatch(message)));
      else {
        const batch = await this.fillBatch(message);
        const keys = batch.map((m) => m.getPartitionKey() ?? '');
        this.track(this.lanes.run(keys, () => this.handleKeyedBatch(batch)));
      }
    }
  }

  private get exactlyOnce(): boolean {
    return this.options.stage.delivery === 'exactly-once';
  }

  /** exactly-once: the event (or its batch) is handled in transactions; Key_Shared in its keys' lanes. */
  private handleOnce(batch: Message[]): Promise<void> {
    const { client, stage } = this.options;
    const run = async () => {
      this.metrics.inFlight += batch.length;
      try {
        await handleInTransactions(batch, {
          client,
          consumer: this.consumer!,
          keyShared: this.keyShared,
          transactionTimeoutMs: stage.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
          stopping: this.stopping.signal,
          attempt: (messages, attempt, txn) => this.attemptAll(messages, attempt, txn),
          decide: (error, attempt) => decideOnFailure(stage.retry, attempt, error, this.random),
          deadLetter: (message, error, attempts, txn) =>
            this.sendDeadLetter(message, error, attempts, txn).then(() => undefined),
          nackAfter: (message, delayMs) => this.nackAfter(message, delayMs),
          settled: ({ processed, deadLettered, retried }) => {
            this.metrics.processed += processed;
            this.metrics.deadLettered += deadLettered;
            this.metrics.retried += retried;
          },
          warn: (fields) => this.logger.warn({ ...fields, ...this.labels() }),
        });
      } finally {
        this.metrics.inFlight -= batch.length;
      }
    };
    if (!this.keyShared) return run();
    return this.lanes.run(
      batch.map((m) => m.getPartitionKey() ?? ''),
      run,
    );
  }

  private get keyShared(): boolean {
    return this.options.stage.input.subscriptionType === 'Key_Shared';
  }

  private get batchSize(): number {
    return this.options.stage.batchSize ?? 1;
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

  /** A Shared stage's batch: acks what succeeded once all its outputs are receipted; retries the rest one by one. */
  private async handleBatch(messages: Message[]): Promise<void> {
    this.metrics.inFlight += messages.length;
    try {
      const attempts = messages.map((message) => message.getRedeliveryCount() + 1);
      const failures = await this.attemptAll(messages, Math.max(...attempts));
      await Promise.all(
        messages.map(async (message, index) => {
          if (failures[index] === undefined) {
            await this.consumer!.acknowledge(message);
            this.metrics.processed += 1;
          } else await this.settleFailure(message, failures[index], attempts[index]);
        }),
      );
    } catch (error) {
      this.logger.error({
        msg: 'stage failed to settle a batch; it will be redelivered',
        ...this.labels(),
        events: messages.length,
        reason: describeFailure(error).text,
      });
      if (this.state !== 'closed')
        for (const message of messages) this.consumer?.negativeAcknowledge(message);
    } finally {
      this.metrics.inFlight -= messages.length;
    }
  }

  /** Dead-letters a failed event or schedules its retry; for Key_Shared, returns the delay before retrying it in place. */
  private async settleFailure(
    message: Message,
    error: unknown,
    attempt: number,
  ): Promise<number | undefined> {
    const decision = decideOnFailure(this.options.stage.retry, attempt, error, this.random);
    if (decision.action === 'dead-letter') {
      await this.deadLetter(message, error, attempt);
      return undefined;
    }
    this.metrics.retried += 1;
    this.logger.warn({
      msg: 'stage handler failed; retrying after backoff',
      ...this.labels(),
      messageId: message.getMessageId().toString(),
      attempt,
      delayMs: decision.delayMs,
      reason: describeFailure(error).code,
    });
    // Shared: back to the broker, any worker may take it. Key_Shared: retried here, because a nack
    // would let the key's next event overtake this one.
    if (!this.keyShared) {
      this.nackAfter(message, decision.delayMs);
      return undefined;
    }
    return decision.delayMs;
  }

  /** Key_Shared: one lane per key, so this process handles a key's events in the order they came. */
  private dispatch(message: Message): Promise<void> {
    if (!this.keyShared) return this.handle(message);
    return this.lanes.run([message.getPartitionKey() ?? ''], () => this.handle(message));
  }

  /**
   * A Key_Shared stage's batch, run in its keys' lanes and settled by settleKeyedBatch: the events held
   * back are retried here, in order, after the backoff (a nack would let the key's next events overtake them).
   */
  private async handleKeyedBatch(messages: Message[]): Promise<void> {
    this.metrics.inFlight += messages.length;
    const attempts = new Map(messages.map((message) => [message, message.getRedeliveryCount() + 1]));
    const settlement = {
      keyOf: (message: Message) => message.getPartitionKey() ?? '',
      ack: async (message: Message) => {
        await this.consumer!.acknowledge(message);
        this.metrics.processed += 1;
      },
      settleFailure: (message: Message, error: unknown, attempt: number) =>
        this.settleFailure(message, error, attempt),
    };
    let pending = messages;
    try {
      while (pending.length > 0) {
        const failures = await this.attemptAll(pending, Math.max(...pending.map((m) => attempts.get(m)!)));
        const { again, delayMs } = await settleKeyedBatch(pending, failures, attempts, settlement);
        pending = again;
        // A drain cuts the wait short; what is left stays unacked and is redelivered once this consumer closes.
        if (pending.length > 0 && !(await pause(delayMs, this.stopping.signal))) return;
      }
    } catch (error) {
      this.logger.error({
        msg: 'stage failed to settle a batch; it will be redelivered',
        ...this.labels(),
        events: pending.length,
        reason: describeFailure(error).text,
      });
      if (this.state !== 'closed') for (const message of pending) this.consumer?.negativeAcknowledge(message);
    } finally {
      this.metrics.inFlight -= messages.length;
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.then(() => this.inFlight.delete(work));
  }

  /** Never rejects: every path ends in an ack, a dead letter, a (delayed) nack or redelivery on close. */
  private async handle(message: Message): Promise<void> {
    this.metrics.inFlight += 1;
    try {
      for (let attempt = message.getRedeliveryCount() + 1; ; attempt++) {
        const error = await this.attempt(message, attempt);
        if (error === undefined) {
          await this.consumer!.acknowledge(message);
          this.metrics.processed += 1;
          return;
        }
        const retryInPlaceMs = await this.settleFailure(message, error, attempt);
        if (retryInPlaceMs === undefined) return;
        // A drain cuts the wait short; the event stays unacked and is redelivered once this consumer closes.
        if (!(await pause(retryInPlaceMs, this.stopping.signal))) return;
      }
    } catch (error) {
      this.logger.error({
        msg: 'stage failed to settle an event; it will be redelivered',
        ...this.labels(),
        messageId: message.getMessageId().toString(),
        reason: describeFailure(error).text,
      });
      if (this.state !== 'closed') this.consumer?.negativeAcknowledge(message);
    } finally {
      this.metrics.inFlight -= 1;
    }
  }

  /** One handling of one event: decode, run the handler, publish every output. Resolves with the failure, if any. */
  private async attempt(message: Message, attempt: number): Promise<unknown> {
    return (await this.attemptAll([message], attempt))[0];
  }

  private attemptAll(messages: readonly Message[], attempt: number, txn?: Transaction): Promise<unknown[]> {
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
      observeHandlerSeconds: (seconds) => this.metrics.observeHandlerSeconds(seconds),
    });
  }

  private sendDeadLetter(message: Message, error: unknown, attempts: number, txn?: Transaction) {
    const { pipeline, stage } = this.options;
    return this.deadLetterProducer!.send(
      encodeDeadLetter(
        message,
        { error, attempts, pipeline, stage: stage.name },
        { realTopic: message.getTopicName(), originMessageId: message.getMessageId().toString() },
      ),
      txn,
    );
  }

  private async deadLetter(message: Message, error: unknown, attempts: number): Promise<void> {
    const { stage } = this.options;
    const failure = describeFailure(error);
    try {
      await this.sendDeadLetter(message, error, attempts);
    } catch (publishError) {
      this.logger.error({
        msg: 'dead-lettering failed; the event will be redelivered',
        ...this.labels(),
        messageId: message.getMessageId().toString(),
        reason: describeFailure(publishError).text,
      });
      this.nackAfter(message, stage.retry.initialBackoffMs);
      return;
    }
    await this.consumer!.acknowledge(message);
    this.metrics.deadLettered += 1;
    this.logger.warn({
      msg: 'event sent to the dead-letter topic',
      ...this.labels(),
      messageId: message.getMessageId().toString(),
      attempts,
      reason: failure.code,
    });
  }

  private nackAfter(message: Message, delayMs: number): void {
    const timer = setTimeout(
      () => {
        this.backoffTimers.delete(timer);
        if (this.state !== 'closed') this.consumer?.negativeAcknowledge(message);
      },
      Math.max(0, delayMs - NACK_DELAY_MS),
    );
    this.backoffTimers.add(timer);
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
