import { MessageId } from '../codec/message-id';

interface Entry {
  /** Batch indexes delivered to this consumer and not yet settled (acked, or due for redelivery). */
  unsettled: Set<number>;
  /** Ids due for redelivery, waiting for their siblings to settle. */
  held: MessageId[];
}

/**
 * Holds back the redelivery of a message of a batch entry while siblings of that entry are still in flight.
 * The broker redelivers whole entries (minus the indexes acked so far), so asking for one while a sibling is
 * being processed would hand that sibling out twice. Unbatched messages are never held. One per topic
 * partition (ids of different topics may share a partition index).
 */
export class HeldEntries {
  private readonly entries = new Map<string, Entry>();
  /** Deliveries and acks come in runs over one entry: reuse its key rather than format two bigints. */
  private lastKey?: { ledgerId: bigint; entryId: bigint; key: string };

  /** Entries with a message in flight: bounded by what the consumer has received and not settled. */
  get size(): number {
    return this.entries.size;
  }

  /** The consumer received `id`: it stays in flight until acked or due for redelivery. */
  delivered(id: MessageId): void {
    if (!isBatched(id)) return;
    const key = this.keyOf(id);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { unsettled: new Set(), held: [] };
      this.entries.set(key, entry);
    }
    entry.unsettled.add(id.batchIndex);
  }

  /** `id` was acked; returns the held ids of its entry that may now be redelivered. */
  acked(id: MessageId): MessageId[] {
    if (!isBatched(id)) return [];
    return this.settle(this.keyOf(id), id.batchIndex);
  }

  /** These ids are due for redelivery; returns those (with released siblings) to redeliver now. */
  due(ids: readonly MessageId[]): MessageId[] {
    const now: MessageId[] = [];
    for (const id of ids) {
      if (!isBatched(id)) {
        now.push(id);
        continue;
      }
      const key = this.keyOf(id);
      const entry = this.entries.get(key);
      if (!entry) {
        now.push(id);
        continue;
      }
      entry.held.push(id);
      now.push(...this.settle(key, id.batchIndex));
    }
    return now;
  }

  /** Forgets everything: after a reconnect or a rewind the broker redelivers what is unacked anyway. */
  clear(): void {
    this.entries.clear();
  }

  private keyOf(id: MessageId): string {
    const last = this.lastKey;
    if (last && last.entryId === id.entryId && last.ledgerId === id.ledgerId) return last.key;
    const key = id.entryKey();
    this.lastKey = { ledgerId: id.ledgerId, entryId: id.entryId, key };
    return key;
  }

  private settle(key: string, batchIndex: number): MessageId[] {
    const entry = this.entries.get(key);
    if (!entry) return [];
    entry.unsettled.delete(batchIndex);
    if (entry.unsettled.size > 0) return [];
    this.entries.delete(key);
    return entry.held;
  }
}

function isBatched(id: MessageId): boolean {
  return id.batchIndex >= 0 && id.batchSize > 1;
}
