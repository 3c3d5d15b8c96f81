import { Consumer, Message, PulsarClientError } from '@gyre/pulsar';
import { StreamsError } from '@gyre/streams';

/** Subscription names (they become part of Pulsar cursor and DLQ topic names). */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function checkSubscription(subscription: string): void {
  if (!SUBSCRIPTION_NAME.test(subscription))
    throw new StreamsError('INVALID_SUBSCRIPTION', `invalid subscription name "${subscription}"`, {
      problems: [
        {
          pointer: '/params/sub',
          detail: "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit",
        },
      ],
    });
}

/** Waits up to `waitMs` for a first message, then takes whatever else is already there, up to `max`. */
export async function receiveUpTo(consumer: Consumer, max: number, waitMs: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < max) {
    try {
      messages.push(await consumer.receive(messages.length === 0 ? waitMs : 0));
    } catch (error) {
      if (error instanceof PulsarClientError && error.code === 'TIMEOUT') break;
      if (messages.length > 0) break; // hand out what was leased; the next pull reports the failure
      throw error;
    }
  }
  return messages;
}
