import { MessageId, toMessageIdData } from '../codec/message-id';
import { MessageIdData, toLong } from '../codec/protocol';

export const ACK_INDIVIDUAL = 0;
export const ACK_CUMULATIVE = 1;

export interface AckBatch {
  individual: MessageIdData[];
  cumulative?: MessageIdData;
}

/**
 * Turns message acks into entry acks. Without batch-index ack, an entry is acked only once every
 * message of its batch is; with it, a partial batch is acked by an ack_set of the still-pending bits.
 */
export class AckTracker {
  private readonly batches = new Map<string, boolean[]>();
  private individual = new Map<string, MessageIdData>();
  private cumulative?: { id: MessageId; data: MessageIdData };

  constructor(private readonly batchIndexAck: boolean) {}

  get size(): number {
    return this.individual.size + (this.cumulative ? 1 : 0);
  }

  addIndividual(id: MessageId): void {
    const key = id.entryKey();
    if (id.batchIndex < 0 || id.batchSize <= 1) {
      this.batches.delete(key);
      this.individual.set(key, entryId(id));
      return;
    }
    const pending = this.batches.get(key) ?? new Array<boolean>(id.batchSize).fill(true);
    pending[id.batchIndex] = false;
    if (pending.every((bit) => !bit)) {
      this.batches.delete(key);
      this.individual.set(key, entryId(id));
    } else {
      this.batches.set(key, pending);
      if (this.batchIndexAck) this.individual.set(key, { ...entryId(id), ack_set: toWords(pending) });
    }
  }

  addCumulative(id: MessageId): void {
    if (this.cumulative && id.compareTo(this.cumulative.id) <= 0) return;
    for (const key of this.batches.keys()) {
      const [ledger, entry] = key.split(':').map(BigInt);
      if (ledger < id.ledgerId || (ledger === id.ledgerId && entry <= id.entryId)) this.batches.delete(key);
    }
    const completesBatch = id.batchIndex < 0 || id.batchIndex >= id.batchSize - 1;
    let data: MessageIdData;
    if (completesBatch) data = entryId(id);
    else if (this.batchIndexAck) {
      const pending = Array.from({ length: id.batchSize }, (_, index) => index > id.batchIndex);
      data = { ...entryId(id), ack_set: toWords(pending) };
    } else data = { ...entryId(id), entryId: toLong(id.entryId - 1n) };
    this.cumulative = { id, data };
  }

  /** Takes what is waiting to be sent. */
  drain(): AckBatch {
    const batch: AckBatch = { individual: [...this.individual.values()], cumulative: this.cumulative?.data };
    this.individual = new Map();
    this.cumulative = undefined;
    return batch;
  }

  /** Forgets partial batches (after a seek or redeliver-all the broker redelivers them whole). */
  reset(): void {
    this.batches.clear();
  }
}

function entryId(id: MessageId): MessageIdData {
  return toMessageIdData(new MessageId(id.ledgerId, id.entryId, id.partition), false);
}

/** Bits as little-endian 64-bit words (Java BitSet.toLongArray). */
export function toWords(bits: readonly boolean[]): ReturnType<typeof toLong>[] {
  const words: ReturnType<typeof toLong>[] = [];
  for (let start = 0; start < bits.length; start += 64) {
    let word = 0n;
    for (let i = 0; i < 64 && start + i < bits.length; i++) if (bits[start + i]) word |= 1n << BigInt(i);
    words.push(toLong(word, false));
  }
  return words;
}
