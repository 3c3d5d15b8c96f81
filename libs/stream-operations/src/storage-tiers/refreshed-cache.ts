export interface RefreshedCacheLimits {
  /** Entries kept: the one read least recently goes when one more arrives. */
  entries: number;
  /** A value younger than this is served as it is; an older one is loaded again when read. */
  maxAgeMs: number;
}

/**
 * A bounded cache of values loaded when read (no timer): each key is loaded at most once per `maxAgeMs`,
 * concurrent reads of a key share one load, and a failed load is not kept.
 */
export class RefreshedCache<T> {
  private readonly entries = new Map<string, { loadedAt: number; value: Promise<T> }>();

  constructor(
    private readonly limits: RefreshedCacheLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const cached = this.entries.get(key);
    // Re-inserted on every read, so the Map's first key is the one read least recently.
    this.entries.delete(key);
    if (cached && now - cached.loadedAt < this.limits.maxAgeMs) {
      this.entries.set(key, cached);
      return cached.value;
    }
    const entry = { loadedAt: now, value: load() };
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    while (this.entries.size > this.limits.entries) this.entries.delete(this.entries.keys().next().value!);
    return entry.value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
