import { TopicsMode } from '../codec/protocol';
import { Instrumentation } from '../events';
import { LookupService } from '../lookup/lookup-service';
import { TopicsPattern, matchingTopics } from './topics-pattern';

/** What the watcher asks of its consumer when the namespace's matching topics change. */
export interface PatternTopicsOwner {
  addTopics(topics: string[]): Promise<void>;
  removeTopics(topics: string[]): Promise<void>;
}

/** The namespace's topics matching `pattern` now (GET_TOPICS_OF_NAMESPACE, filtered again here). */
export async function discoverTopics(
  lookup: LookupService,
  pattern: TopicsPattern,
  mode: TopicsMode,
): Promise<string[]> {
  return matchingTopics(pattern, await lookup.getTopicsOfNamespace(pattern.namespace, mode, pattern.source));
}

/**
 * Re-reads a topicsPattern consumer's topics every period (the official patternAutoDiscoveryPeriod):
 * new matches are subscribed, vanished ones closed. A check starts only after the previous one ended.
 */
export class PatternWatcher {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly known: Set<string>;

  constructor(
    private readonly lookup: LookupService,
    private readonly instrumentation: Instrumentation,
    private readonly pattern: TopicsPattern,
    private readonly mode: TopicsMode,
    private readonly owner: PatternTopicsOwner,
    initial: readonly string[],
  ) {
    this.known = new Set(initial);
  }

  start(periodMs: number): void {
    if (periodMs <= 0 || this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.start(periodMs));
    }, periodMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One discovery round; failures are reported and the next period tries again. */
  async check(): Promise<void> {
    let added: string[] = [];
    let removed: string[] = [];
    try {
      const now = await discoverTopics(this.lookup, this.pattern, this.mode);
      if (this.stopped) return;
      added = now.filter((topic) => !this.known.has(topic));
      removed = [...this.known].filter((topic) => !now.includes(topic));
      if (added.length === 0 && removed.length === 0) return;
      if (removed.length > 0) await this.owner.removeTopics(removed);
      for (const topic of removed) this.known.delete(topic);
      if (added.length > 0) await this.owner.addTopics(added);
      for (const topic of added) this.known.add(topic);
      this.report(added, removed);
    } catch (error) {
      this.report(added, removed, error as Error);
    }
  }

  private report(added: string[], removed: string[], error?: Error): void {
    this.instrumentation.emit('patternDiscovery', () => ({
      pattern: this.pattern.source,
      added,
      removed,
      error,
    }));
  }
}
