/**
 * Per-key order inside one process of a Key_Shared stage: work on a set of keys (one event's key, or
 * every key of a batch) starts once all earlier work on any of those keys is over, so a key's events are
 * handled, and settled, in the order they were received, while unrelated keys run side by side.
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<void>>();

  run(keys: Iterable<string>, work: () => Promise<void>): Promise<void> {
    const distinct = [...new Set(keys)];
    const earlier = distinct.flatMap((key) => this.tails.get(key) ?? []);
    // allSettled: a failed predecessor must not skip this work (the runner's work never rejects anyway).
    const next = Promise.allSettled(earlier).then(work);
    for (const key of distinct) this.tails.set(key, next);
    const release = (): void => {
      for (const key of distinct) if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(release, release);
    return next;
  }

  /** Keys with work queued or running (for tests and status). */
  get size(): number {
    return this.tails.size;
  }
}
