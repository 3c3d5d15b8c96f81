import type { Message } from '@gyre/pulsar';
import { settleFailure, StageWork } from './stage-work';

/**
 * Settles a Shared stage's delivery (one event or a batch): acks what succeeded once all its outputs are
 * receipted; a failure goes back to the broker after its backoff, where any worker may take it, or to the
 * dead-letter topic. Never rejects.
 */
export async function settleShared(work: StageWork, messages: readonly Message[]): Promise<void> {
  try {
    const attempts = messages.map((message) => message.getRedeliveryCount() + 1);
    const failures = await work.attempt(messages, Math.max(...attempts));
    await Promise.all(
      messages.map(async (message, index) => {
        if (failures[index] !== undefined)
          return void (await settleFailure(work, message, failures[index], attempts[index], 'nack'));
        await work.consumer.acknowledge(message);
        work.settled({ processed: 1 });
      }),
    );
  } catch (error) {
    work.redeliver(messages, error);
  }
}
