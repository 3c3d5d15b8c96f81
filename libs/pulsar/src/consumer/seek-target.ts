import { MessageId } from '../codec/message-id';
import { Message } from './message';

/** A real position, not earliest/latest: the only seeks whose target message is skipped. */
export function isPosition(id: MessageId): boolean {
  return id.ledgerId >= 0n && id.ledgerId !== (1n << 63n) - 1n;
}

/**
 * After seek(target) the broker restarts at the target entry itself, while the official client starts
 * after the target: is `id` the target, or a batch sibling before it? (Other entries are never skipped.)
 */
export function isAtOrBeforeSeekTarget(id: MessageId, target: MessageId): boolean {
  return (
    id.ledgerId === target.ledgerId && id.entryId === target.entryId && id.batchIndex <= target.batchIndex
  );
}

/** The messages of an entry the application should see after seek(target). */
export function messagesAfterSeekTarget(messages: Message[], target: MessageId): Message[] {
  return messages.filter((message) => !isAtOrBeforeSeekTarget(message.getMessageId(), target));
}
