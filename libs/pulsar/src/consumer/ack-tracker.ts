import { MessageId, toMessageIdData } from '../codec/message-id';
import { MessageIdData, toLong } from '../codec/protocol';
import { bitIsSet } from './entry-parser';

export const ACK_INDIVIDUAL = 0;
export const ACK_CUMULATIVE = 1;

export interface AckBatch {
  individual: MessageIdData[];
  cumulative?: MessageIdData;
}

/** Per message of a partial batch: acked (here or, as the broker says, anywhere), pending, acked in a transaction. */
const ACKED = 0;
const PENDING = 1;
const IN_TRANSACTION = 2;

/** The acks seen so far for one batch entry. */
interface PartialBatch {
  id: MessageId;
  /** ACKED, PENDING or IN_TRANSACTION per batch index. */
  pending: Uint8Array;
  /** Indexes not ACKED: the entry is acked whole once none is left. */
  remaining: number;
  /** Indexes still PENDING: once none is left (and no ack waits to be sent) nothing needs this record. */
  open: number;
}

/**
 * Turns message acks into entry acks. Without batch-index ack, an entry is acked only once every
 * message of its batch is; with it, a partial batch is acked by an ack_set of the still-pending bits.
 */
export class AckTracker {
  private readonly batches = new Map<string, PartialBatch>();
  private individual = new Map<string, MessageIdData>();
  /** Partial batches acked since the last drain (batch-index ack only). */
  private touched = new Set<PartialBatch>();
  private cumulative?: { id: MessageId; data: MessageIdData };
  /** Acks arrive in runs over one entry: remember the last one and skip the string key. */
  private last?: PartialBatch;

  constructor(private readonly batchIndexAck: boolean) {}

  get size(): number {
    return this.individual.size + this.touched.size + (this.cumulative ? 1 : 0);
  }

  addIndividual(id: MessageId): void {
    if (id.batchIndex < 0 || id.batchSize <= 1) {
      const key = id.entryKey();
      this.forget(key);
      this.individual.set(key, entryId(id));
      return;
    }
    const batch = this.partialFor(id);
    const was = batch.pending[id.batchIndex];
    if (was === ACKED) return; // acked twice
    batch.pending[id.batchIndex] = ACKED;
    if (was === PENDING) batch.open -= 1;
    if (--batch.remaining === 0) {
      const key = id.entryKey();
      this.forget(key);
      this.individual.set(key, entryId(id));
    } else if (this.batchIndexAck) this.touched.add(batch);
  }

  addCumulative(id: MessageId): void {
    if (this.cumulative && id.compareTo(this.cumulative.id) <= 0) return;
    for (const [key, batch] of this.batches) {
      const { ledgerId, entryId: entry } = batch.id;
      if (ledgerId < id.ledgerId || (ledgerId === id.ledgerId && entry <= id.entryId)) {
        this.batches.delete(key);
        this.touched.delete(batch);
        if (this.last === batch) this.last = undefined;
      }
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

  /**
   * A batch entry of `id`'s batch arrived (again) with the broker's `ackSet` (a set bit: not yet acked).
   * Indexes the broker reports acked are acked here too; indexes acked here that the broker still lists
   * (an ack in the grouping buffer, or lost with a connection) are sent again and not delivered again.
   * Returns the still-pending bits (1 = deliver), or undefined when every index is pending.
   */
  received(id: MessageId, ackSet: readonly unknown[]): Uint8Array | undefined {
    const key = id.entryKey();
    const known = this.batches.get(key);
    if (!known && ackSet.length === 0) return undefined;
    const batch = known ?? this.partialFor(id);
    let remaining = 0;
    let resend = false;
    for (let index = 0; index < batch.pending.length; index++) {
      const brokerPending = ackSet.length === 0 || bitIsSet(ackSet, index);
      if (!brokerPending) batch.pending[index] = ACKED;
      else if (batch.pending[index] === ACKED) resend = true;
      // Acked in a transaction the broker does not count (yet, or ever: aborted): deliver it again.
      else batch.pending[index] = PENDING;
      remaining += batch.pending[index];
    }
    batch.remaining = remaining;
    batch.open = remaining;
    if (remaining === 0) {
      this.forget(key);
      this.individual.set(key, entryId(id));
    } else if (resend && this.batchIndexAck) this.touched.add(batch);
    return batch.pending;
  }

  /**
   * A message of a partial batch was acked in a transaction. Its bit stays unacked here, since the
   * transaction may abort and the broker then redelivers the message; but once no message of the entry is
   * left pending here, the record goes: the acks that settle it are the transactions', never this tracker's,
   * and a redelivery of the entry brings the broker's ack_set to start a record again. (Without this, every
   * entry redelivered after a nack stayed here for good when its acks went in transactions.)
   */
  ackedInTransaction(id: MessageId): void {
    if (id.batchIndex < 0 || id.batchSize <= 1) return;
    const key = id.entryKey();
    const batch = this.batches.get(key);
    if (!batch || batch.pending[id.batchIndex] !== PENDING) return;
    batch.pending[id.batchIndex] = IN_TRANSACTION;
    if (--batch.open === 0 && !this.touched.has(batch)) this.forget(key);
  }

  /** Partial batch entries remembered now (each until its messages are acked or the entry is acked whole). */
  get partialBatches(): number {
    return this.batches.size;
  }

  /** Takes what is waiting to be sent. */
  drain(): AckBatch {
    const individual = [...this.individual.values()];
    for (const batch of this.touched) {
      // ack_set: the indexes still unacked, a transaction's among them (its ack is not this one's).
      individual.push({ ...entryId(batch.id), ack_set: toWords(batch.pending) });
      if (batch.open === 0) this.forget(batch.id.entryKey());
    }
    const result: AckBatch = { individual, cumulative: this.cumulative?.data };
    this.individual = new Map();
    this.touched = new Set();
    this.cumulative = undefined;
    return result;
  }

  /** Forgets partial batches (after a seek or redeliver-all the broker redelivers them whole). */
  reset(): void {
    this.batches.clear();
    this.touched.clear();
    this.last = undefined;
  }

  private partialFor(id: MessageId): PartialBatch {
    const last = this.last;
    if (last && last.id.entryId === id.entryId && last.id.ledgerId === id.ledgerId) return last;
    const key = id.entryKey();
    let batch = this.batches.get(key);
    if (!batch) {
      batch = {
        id,
        pending: new Uint8Array(id.batchSize).fill(PENDING),
        remaining: id.batchSize,
        open: id.batchSize,
      };
      this.batches.set(key, batch);
    }
    this.last = batch;
    return batch;
  }

  private forget(key: string): void {
    const batch = this.batches.get(key);
    if (!batch) return;
    this.batches.delete(key);
    this.touched.delete(batch);
    if (this.last === batch) this.last = undefined;
  }
}

function entryId(id: MessageId): MessageIdData {
  return toMessageIdData(new MessageId(id.ledgerId, id.entryId, id.partition), false);
}

/** Bits (true or 1 = set) as little-endian 64-bit words (Java BitSet.toLongArray). */
export function toWords(bits: ArrayLike<boolean | number>): ReturnType<typeof toLong>[] {
  const words: ReturnType<typeof toLong>[] = [];
  for (let start = 0; start < bits.length; start += 64) {
    let word = 0n;
    for (let i = 0; i < 64 && start + i < bits.length; i++) if (bits[start + i]) word |= 1n << BigInt(i);
    words.push(toLong(word, false));
  }
  return words;
}
