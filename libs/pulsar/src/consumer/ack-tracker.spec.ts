import { MessageId } from '../codec/message-id';
import { toBigInt } from '../codec/protocol';
import { AckTracker, toWords } from './ack-tracker';

const inBatch = (index: number): MessageId => new MessageId(7n, 3n, -1, index, 3);

describe(AckTracker.name, () => {
  it('acks a batch entry only once every message of it is acked', () => {
    const tracker = new AckTracker(false);
    tracker.addIndividual(inBatch(0));
    tracker.addIndividual(inBatch(2));
    expect(tracker.drain().individual).toHaveLength(0);
    tracker.addIndividual(inBatch(1));
    const [entry] = tracker.drain().individual;
    expect([toBigInt(entry.ledgerId), toBigInt(entry.entryId), entry.ack_set]).toEqual([7n, 3n, undefined]);
  });

  it('sends the still-pending bits as ack_set when batch-index ack is on', () => {
    const tracker = new AckTracker(true);
    tracker.addIndividual(inBatch(1));
    const [entry] = tracker.drain().individual;
    expect(entry.ack_set?.map((word) => toBigInt(word))).toEqual([0b101n]);
  });

  it('acks the previous entry cumulatively while a batch is incomplete', () => {
    const tracker = new AckTracker(false);
    tracker.addCumulative(inBatch(1));
    expect(toBigInt(tracker.drain().cumulative?.entryId)).toBe(2n);
    tracker.addCumulative(inBatch(2));
    expect(toBigInt(tracker.drain().cumulative?.entryId)).toBe(3n);
  });

  it('takes the ack_set of a redelivered entry, so acking what is left acks the whole entry', () => {
    const tracker = new AckTracker(true);
    const pending = tracker.received(inBatch(1), toWords([0, 1, 0]));
    expect(Array.from(pending ?? [])).toEqual([0, 1, 0]);
    tracker.addIndividual(inBatch(1));
    const [entry] = tracker.drain().individual;
    expect([toBigInt(entry.entryId), entry.ack_set]).toEqual([3n, undefined]);
  });

  it('re-sends an ack the broker does not know yet and marks that message as not to be delivered again', () => {
    const tracker = new AckTracker(true);
    tracker.addIndividual(inBatch(0));
    tracker.drain();
    const pending = tracker.received(inBatch(0), toWords([1, 1, 1]));
    expect(Array.from(pending ?? [])).toEqual([0, 1, 1]);
    const [entry] = tracker.drain().individual;
    expect(entry.ack_set?.map((word) => toBigInt(word))).toEqual([0b110n]);
  });

  it('leaves a first delivery alone: nothing to filter, nothing tracked', () => {
    const tracker = new AckTracker(true);
    expect(tracker.received(inBatch(0), [])).toBeUndefined();
    expect(tracker.size).toBe(0);
  });

  describe('with acks in transactions', () => {
    // The entry came back after a nack: the broker says indexes 0 and 2 are still unacked.
    const redelivered = (tracker: AckTracker) => tracker.received(inBatch(0), toWords([1, 0, 1]));

    it('forgets a redelivered entry once its pending messages are acked in transactions, sending no ack of its own', () => {
      const tracker = new AckTracker(true);
      expect(Array.from(redelivered(tracker) ?? [])).toEqual([1, 0, 1]);
      expect(tracker.partialBatches).toBe(1);
      tracker.ackedInTransaction(inBatch(0));
      expect(tracker.partialBatches).toBe(1);
      tracker.ackedInTransaction(inBatch(2));
      expect(tracker.partialBatches).toBe(0);
      expect(tracker.size).toBe(0);
      expect(tracker.drain().individual).toEqual([]);
    });

    it('delivers again a message whose transaction did not commit, and does not ack it itself', () => {
      const tracker = new AckTracker(true);
      redelivered(tracker);
      tracker.ackedInTransaction(inBatch(0));
      // Aborted: the broker still lists index 0 (and 2) as unacked.
      expect(Array.from(redelivered(tracker) ?? [])).toEqual([1, 0, 1]);
      expect(tracker.drain().individual).toEqual([]);
    });

    it('keeps a transaction’s message unacked in the ack_set of a plain ack of its entry', () => {
      const tracker = new AckTracker(true);
      tracker.received(inBatch(0), toWords([1, 1, 1]));
      tracker.ackedInTransaction(inBatch(0));
      tracker.addIndividual(inBatch(1));
      const [entry] = tracker.drain().individual;
      expect(entry.ack_set?.map((word) => toBigInt(word))).toEqual([0b101n]);
      tracker.ackedInTransaction(inBatch(2));
      expect(tracker.partialBatches).toBe(0);
    });

    it('ignores a message of a first delivery and an unbatched one: nothing was tracked', () => {
      const tracker = new AckTracker(true);
      tracker.ackedInTransaction(inBatch(1));
      tracker.ackedInTransaction(new MessageId(7n, 4n));
      expect([tracker.partialBatches, tracker.size]).toEqual([0, 0]);
    });
  });

  it('packs bits into little-endian 64-bit words like Java BitSet.toLongArray', () => {
    const bits = Array.from({ length: 66 }, (_, i) => i === 0 || i === 65);
    expect(toWords(bits).map((word) => toBigInt(word))).toEqual([1n, 2n]);
  });
});
