/** An event with its arrival number, so events released by a batch take their place among the ready ones. */
interface Queued<M> {
  readonly seq: number;
  readonly event: M;
}

/**
 * Per-key order inside one process of a Key_Shared stage, without batches waiting on each other: an event
 * whose key is in a batch being handled is held until that batch is settled; every other event is ready
 * and may join the next batch. A batch therefore never shares a key with one in flight, so batches of
 * unrelated keys run side by side, and a key's events are handled, and settled, in the order received.
 * Ready events go out oldest first. (Chaining whole batches behind any earlier batch sharing one of their
 * keys serialised a stage with busy keys, such as prepare's cards: one batch at a time, each waiting.)
 */
export class KeyQueue<M> {
  private ready: Queued<M>[] = [];
  /** Events of busy keys, in arrival order, per key. */
  private readonly held = new Map<string, Queued<M>[]>();
  private readonly busy = new Set<string>();
  private heldCount = 0;
  private arrivals = 0;

  constructor(private readonly keyOf: (event: M) => string) {}

  /** Events received and not yet taken (ready or held). */
  get size(): number {
    return this.ready.length + this.heldCount;
  }

  get readyCount(): number {
    return this.ready.length;
  }

  add(event: M): void {
    const queued = { seq: this.arrivals++, event };
    const key = this.keyOf(event);
    if (this.busy.has(key)) this.hold(key, queued);
    else this.ready.push(queued);
  }

  /** Up to `max` ready events, oldest first; their keys are busy until release(). */
  take(max: number): M[] {
    const taken = this.ready.length <= max ? this.ready : this.ready.slice(0, max);
    this.ready = taken === this.ready ? [] : this.ready.slice(max);
    const batch = taken.map(({ event }) => event);
    for (const event of batch) this.busy.add(this.keyOf(event));
    // Ready events left behind whose key just became busy wait for that batch, in order.
    if (this.ready.length > 0 && batch.length > 0) {
      const still: Queued<M>[] = [];
      for (const queued of this.ready) {
        const key = this.keyOf(queued.event);
        if (this.busy.has(key)) this.hold(key, queued);
        else still.push(queued);
      }
      this.ready = still;
    }
    return batch;
  }

  /** The batch of these events is settled: their keys' held events become ready. Returns how many. */
  release(batch: readonly M[]): number {
    const freed: Queued<M>[] = [];
    for (const key of new Set(batch.map(this.keyOf))) {
      this.busy.delete(key);
      const waiting = this.held.get(key);
      if (!waiting) continue;
      this.held.delete(key);
      this.heldCount -= waiting.length;
      freed.push(...waiting);
    }
    if (freed.length > 0)
      this.ready = mergeByArrival(
        freed.sort((a, b) => a.seq - b.seq),
        this.ready,
      );
    return freed.length;
  }

  private hold(key: string, queued: Queued<M>): void {
    const waiting = this.held.get(key);
    if (waiting) waiting.push(queued);
    else this.held.set(key, [queued]);
    this.heldCount += 1;
  }
}

function mergeByArrival<M>(a: readonly Queued<M>[], b: readonly Queued<M>[]): Queued<M>[] {
  const merged: Queued<M>[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(a[i].seq < b[j].seq ? a[i++] : b[j++]);
  while (i < a.length) merged.push(a[i++]);
  while (j < b.length) merged.push(b[j++]);
  return merged;
}
