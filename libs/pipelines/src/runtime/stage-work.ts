import type { Consumer, Message, Transaction } from '@gyre/pulsar';
import { describeFailure } from './message-codec';
import type { FailureDecision } from './retry-policy';

/** Counts of one settlement, added to the stage's metrics. */
export interface SettledCounts {
  processed?: number;
  deadLettered?: number;
  retried?: number;
}

/** What settling a delivery needs from its stage runner; every settlement unit works through this. */
export interface StageWork {
  consumer: Consumer;
  /** Aborted when the runner drains: no new attempt begins, what is held stays unacked. */
  stopping: AbortSignal;
  /** Runs the handler and publishes the outputs of the events that succeeded (in `txn` if given); one failure per message. */
  attempt(messages: readonly Message[], attempt: number, txn?: Transaction): Promise<unknown[]>;
  decide(error: unknown, attempt: number): FailureDecision;
  /** Sends the dead letter and acks the input (both in `txn` if given); rejects if the letter was not sent. */
  deadLetter(message: Message, error: unknown, attempts: number, txn?: Transaction): Promise<void>;
  /** Redelivery delay of an event whose dead letter could not be sent. */
  deadLetterRetryMs: number;
  settled(counts: SettledCounts): void;
  warn(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
  /** A delivery the runner failed to settle (not the handler: an ack, a broker call): back to the broker. */
  redeliver(messages: readonly Message[], error: unknown): void;
}

/**
 * Settles one failed event outside a transaction: dead-letters it, or schedules its retry. `retry` says
 * how: `nack` hands it back to the broker after the backoff (any worker may take it); `in-place` resolves
 * the backoff for the caller to handle it again itself (Key_Shared: a nack would let the key's next event
 * overtake it).
 */
export async function settleFailure(
  work: StageWork,
  message: Message,
  error: unknown,
  attempt: number,
  retry: 'nack' | 'in-place',
): Promise<number | undefined> {
  const decision = work.decide(error, attempt);
  const messageId = message.getMessageId().toJavaString();
  if (decision.action === 'dead-letter') {
    try {
      await work.deadLetter(message, error, attempt);
    } catch (publishError) {
      work.error({
        msg: 'dead-lettering failed; the event will be redelivered',
        messageId,
        reason: describeFailure(publishError).text,
      });
      work.consumer.negativeAcknowledge(message, work.deadLetterRetryMs);
      return undefined;
    }
    work.settled({ deadLettered: 1 });
    work.warn({
      msg: 'event sent to the dead-letter topic',
      messageId,
      attempts: attempt,
      reason: describeFailure(error).code,
    });
    return undefined;
  }
  work.settled({ retried: 1 });
  work.warn({
    msg: 'stage handler failed; retrying after backoff',
    messageId,
    attempt,
    delayMs: decision.delayMs,
    reason: describeFailure(error).code,
  });
  if (retry === 'in-place') return decision.delayMs;
  work.consumer.negativeAcknowledge(message, decision.delayMs);
  return undefined;
}
