import { MessageId } from '../codec/message-id';

const INT64_MAX = (1n << 63n) - 1n;

/** What the broker answered to GET_LAST_MESSAGE_ID: its last message and this cursor's mark-delete position. */
export interface LastMessageIds {
  last: MessageId;
  markDelete?: MessageId;
}

/** Where a reader stands: the last message it handed out, else where it started. */
export interface ReaderPosition {
  lastRead?: MessageId;
  start: MessageId;
  startInclusive: boolean;
}

export function isLatest(id: MessageId): boolean {
  return id.ledgerId === INT64_MAX;
}

/** Is there a message after the reader's position, given what the broker said? (The official engine's rule.) */
export function hasMessageAfter(
  { lastRead, start, startInclusive }: ReaderPosition,
  known: LastMessageIds,
): boolean {
  const { last, markDelete } = known;
  if (last.entryId < 0n) return false;
  const entryOf = (id: MessageId): MessageId => new MessageId(id.ledgerId, id.entryId);
  if (lastRead) {
    const order = entryOf(last).compareTo(entryOf(lastRead));
    if (order !== 0) return order > 0;
    return lastRead.batchIndex >= 0 && lastRead.batchIndex < lastRead.batchSize - 1;
  }
  // Started at latest: the cursor's mark-delete position is where it started.
  if (isLatest(start)) return markDelete !== undefined && entryOf(markDelete).compareTo(entryOf(last)) < 0;
  if (start.ledgerId < 0n) return true;
  const order = entryOf(last).compareTo(entryOf(start));
  return startInclusive
    ? order >= 0
    : order > 0 || (order === 0 && start.batchIndex >= 0 && start.batchSize > start.batchIndex + 1);
}
