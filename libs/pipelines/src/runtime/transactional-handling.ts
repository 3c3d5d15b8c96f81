import type { Client, Message } from '@gyre/pulsar';
import { PipelineError } from '../errors';
import { describeFailure } from './message-codec';
import type { StageWork } from './stage-work';
import { pause } from './timing';

/** What one exactly-once handling needs beyond the stage's work: transactions. */
export interface TransactionalStage {
  client: Client;
  keyShared: boolean;
  transactionTimeoutMs: number;
}

type Outcome = { again: Message[]; delayMs: number; inPlace: boolean } | 'settled';

// Backoff of a handling whose transaction could not be opened, acked or committed (broker trouble, or
// an input still held by the transaction of a worker that died): tried again in place, up to this.
const RETRY_IN_PLACE_MS = { initial: 200, max: 5000 };

/**
 * Handles a batch (or one event) as one Pulsar transaction: outputs sent and inputs acked in it, then
 * committed, so a crash at any point leaves either all of it or none of it. A failed send aborts the
 * whole transaction (no partial outputs). A handler failure to retry: on Shared, the others commit and
 * it is nacked after its backoff; on Key_Shared, the transaction aborts and the batch is retried in
 * place, in order. Never rejects.
 */
export async function handleInTransactions(
  work: StageWork,
  stage: TransactionalStage,
  messages: readonly Message[],
): Promise<void> {
  const attempts = new Map(messages.map((message) => [message, message.getRedeliveryCount() + 1]));
  let pending: readonly Message[] = messages;
  let troubles = 0;
  const giveUpAt = Date.now() + 2 * stage.transactionTimeoutMs;
  while (pending.length > 0 && !work.stopping.aborted) {
    if (troubles > 0 && Date.now() > giveUpAt) {
      // Longer than any other transaction can hold these inputs: already acked elsewhere, or the broker
      // is in trouble. Back to the broker (a nack of an acked message does nothing).
      for (const message of pending) work.consumer.negativeAcknowledge(message, 0);
      return;
    }
    const outcome = await handleOnce(pending, attempts, work, stage).catch((error: unknown) => {
      // The transaction failed, not the handler: same events again, after a backoff, without a redelivery.
      const delayMs = Math.min(RETRY_IN_PLACE_MS.max, RETRY_IN_PLACE_MS.initial * 2 ** troubles++);
      work.warn({
        msg: 'stage transaction failed; handling again in place',
        events: pending.length,
        delayMs,
        reason: describeFailure(error).text,
      });
      return { again: pending, delayMs, inPlace: true };
    });
    if (outcome === 'settled') return;
    if (!outcome.inPlace) {
      for (const message of outcome.again) work.consumer.negativeAcknowledge(message, outcome.delayMs);
      return;
    }
    pending = outcome.again;
    // A drain cuts the wait short; what is left stays unacked and is redelivered once this consumer closes.
    if (!(await pause(outcome.delayMs, work.stopping))) return;
  }
}

async function handleOnce(
  pending: readonly Message[],
  attempts: Map<Message, number>,
  work: StageWork,
  stage: TransactionalStage,
): Promise<Outcome> {
  const txn = await stage.client.newTransaction({ timeoutMs: stage.transactionTimeoutMs });
  try {
    const attempt = Math.max(...pending.map((message) => attempts.get(message)!));
    const failures = await work.attempt(pending, attempt, txn);
    const decisions = failures.map((failure, index) =>
      failure === undefined ? undefined : work.decide(failure, attempts.get(pending[index])!),
    );
    const retries = pending.filter((_, index) => decisions[index]?.action === 'retry');
    const dead = pending.filter((_, index) => decisions[index]?.action === 'dead-letter');
    const delayMs = Math.max(
      0,
      ...decisions.map((decision) => (decision?.action === 'retry' ? decision.delayMs : 0)),
    );
    for (const message of retries) attempts.set(message, attempts.get(message)! + 1);
    // A failed send may have left some of an event's outputs in the transaction, and a Key_Shared key's
    // later events must not commit ahead of its failed one: then nothing of this handling commits.
    if (failures.some(isPublishFailure) || (retries.length > 0 && stage.keyShared)) {
      await txn.abort();
      if (dead.length > 0) await deadLetterInTransaction(dead, failures, pending, attempts, work, stage);
      work.settled({ processed: 0, deadLettered: dead.length, retried: retries.length });
      return { again: pending.filter((message) => !dead.includes(message)), delayMs, inPlace: true };
    }
    await Promise.all(
      pending.map(async (message, index) => {
        const decision = decisions[index];
        if (decision?.action === 'retry') return;
        if (decision?.action === 'dead-letter')
          await work.deadLetter(message, failures[index], attempts.get(message)!, txn);
        else await work.consumer.acknowledge(message, txn);
      }),
    );
    await txn.commit();
    work.settled({
      processed: pending.length - retries.length - dead.length,
      deadLettered: dead.length,
      retried: retries.length,
    });
    return retries.length === 0 ? 'settled' : { again: retries, delayMs, inPlace: false };
  } catch (error) {
    if (txn.getState() === 'open') await txn.abort().catch(() => undefined);
    throw error;
  }
}

/** The dead letters of an aborted handling, with the acks of their inputs, in a transaction of their own. */
async function deadLetterInTransaction(
  dead: readonly Message[],
  failures: unknown[],
  pending: readonly Message[],
  attempts: Map<Message, number>,
  work: StageWork,
  stage: TransactionalStage,
): Promise<void> {
  const txn = await stage.client.newTransaction({ timeoutMs: stage.transactionTimeoutMs });
  try {
    await Promise.all(
      dead.map((message) =>
        work.deadLetter(message, failures[pending.indexOf(message)], attempts.get(message)!, txn),
      ),
    );
    await txn.commit();
  } catch (error) {
    if (txn.getState() === 'open') await txn.abort().catch(() => undefined);
    throw error;
  }
}

function isPublishFailure(failure: unknown): boolean {
  return failure instanceof PipelineError && failure.code === 'PUBLISH_FAILED';
}
