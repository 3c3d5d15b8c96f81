import { MessageId } from '@gyre/pulsar';
import { invalidReplay } from '../errors';

/**
 * A message id as an operator has it: Gyre's opaque id (what ingestion returns), Pulsar's Java text form
 * `ledger:entry[:partition[:batchIndex]]` or the official Node client's `(ledger,entry,partition,batchIndex)`. A missing partition means partition 0 of a one-partition stream.
 */
export function parseMessageId(text: string, partitions: number, pointer: string): MessageId {
  const trimmed = text.trim();
  let id: MessageId | undefined;
  try {
    id = MessageId.fromString(trimmed);
  } catch {
    try {
      id = MessageId.fromOpaqueString(trimmed);
    } catch {
      id = undefined;
    }
  }
  if (!id || id.ledgerId < 0n || id.entryId < 0n)
    throw invalidReplay([
      { pointer, detail: "must be Gyre's message id or ledger:entry[:partition[:batchIndex]]" },
    ]);
  const partition = id.partition < 0 && partitions === 1 ? 0 : id.partition;
  if (partition < 0 || partition >= partitions)
    throw invalidReplay([
      {
        pointer,
        detail:
          id.partition < 0
            ? `names no partition; the stream has ${partitions}: use ledger:entry:partition`
            : `partition ${id.partition} does not exist; the stream has ${partitions}`,
      },
    ]);
  return new MessageId(id.ledgerId, id.entryId, partition, id.batchIndex, id.batchSize);
}

/** One id per partition, every partition named exactly once; index = partition. */
export function parsePartitionIds(texts: string[], partitions: number, pointer: string): MessageId[] {
  const byPartition: MessageId[] = [];
  texts.forEach((text, index) => {
    const id = parseMessageId(text, partitions, `${pointer}/${index}`);
    if (byPartition[id.partition])
      throw invalidReplay([
        { pointer: `${pointer}/${index}`, detail: `partition ${id.partition} named twice` },
      ]);
    byPartition[id.partition] = id;
  });
  if (texts.length !== partitions)
    throw invalidReplay([
      { pointer, detail: `must name each of the stream's ${partitions} partitions exactly once` },
    ]);
  return byPartition;
}

/** Orders two ids by entry only (ledger, entry), ignoring batch indexes. */
export function compareEntries(a: MessageId, b: MessageId): number {
  if (a.ledgerId !== b.ledgerId) return a.ledgerId < b.ledgerId ? -1 : 1;
  if (a.entryId !== b.entryId) return a.entryId < b.entryId ? -1 : 1;
  return 0;
}

/**
 * Where a message read from a partition sits relative to the job's end there: before it (replay it,
 * go on), the last one to replay (replay it, stop), or after it (stop without it). An end without a
 * batch index means its whole entry: the last message of that batch is the last one.
 */
export function endVerdict(id: MessageId, end: MessageId): 'before' | 'last' | 'after' {
  const order = compareEntries(id, end);
  if (order !== 0) return order < 0 ? 'before' : 'after';
  if (end.batchIndex >= 0) {
    if (id.batchIndex === end.batchIndex) return 'last';
    return id.batchIndex < end.batchIndex ? 'before' : 'after';
  }
  return id.batchIndex < 0 || id.batchIndex >= id.batchSize - 1 ? 'last' : 'before';
}

/** Entries from `start` (inclusive; undefined = the first) to `end` (inclusive), from a partition's ledgers. */
export function entriesBetween(
  ledgers: ReadonlyArray<{ ledgerId: number; entries: number }>,
  start: MessageId | undefined,
  end: MessageId,
): number {
  let count = 0;
  for (const ledger of ledgers) {
    const id = BigInt(ledger.ledgerId);
    if ((start && id < start.ledgerId) || id > end.ledgerId) continue;
    const first = start && id === start.ledgerId ? Number(start.entryId) : 0;
    // The open ledger is listed with 0 entries: the end bounds it instead.
    const last = id === end.ledgerId ? Number(end.entryId) : ledger.entries - 1;
    count += Math.max(0, last - first + 1);
  }
  return count;
}
