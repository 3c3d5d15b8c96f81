import type { Message } from '@gyre/pulsar';
import { settleKeyedBatch } from './keyed-batch';
import { settleFailure, StageWork } from './stage-work';
import { pause } from './timing';

/**
 * Settles a Key_Shared stage's delivery (one event or a batch), run in its keys' lanes: the events held
 * back by settleKeyedBatch are handled again here, in order, after the backoff (a nack would let the
 * key's next events overtake them). Never rejects.
 */
export async function settleKeyShared(work: StageWork, messages: readonly Message[]): Promise<void> {
  const attempts = new Map(messages.map((message) => [message, message.getRedeliveryCount() + 1]));
  const settlement = {
    keyOf: (message: Message) => message.getPartitionKey(),
    ack: async (message: Message) => {
      await work.consumer.acknowledge(message);
      work.settled({ processed: 1 });
    },
    settleFailure: (message: Message, error: unknown, attempt: number) =>
      settleFailure(work, message, error, attempt, 'in-place'),
  };
  let pending: readonly Message[] = messages;
  try {
    while (pending.length > 0) {
      const failures = await work.attempt(pending, Math.max(...pending.map((m) => attempts.get(m)!)));
      const { again, delayMs } = await settleKeyedBatch(pending, failures, attempts, settlement);
      pending = again;
      // A drain cuts the wait short; what is left stays unacked and is redelivered once this consumer closes.
      if (pending.length > 0 && !(await pause(delayMs, work.stopping))) return;
    }
  } catch (error) {
    work.redeliver(pending, error);
  }
}
