import type { Scorer } from '@gyre/ml';
import type { ServingModelSource } from './infer.handler';
import type { LoopArtifactStore } from './loop-artifacts.store';
import type { LoopLedgerStore } from './loop-ledger.store';

/**
 * The current model version per pipeline, as infer needs it: looks up the newest version in Postgres
 * at most every `refreshMs`, and loads an artifact from S3 once per version. A version recorded by
 * train is picked up within `refreshMs`, without a restart.
 */
export class ServingModels implements ServingModelSource {
  private readonly current_ = new Map<
    string,
    { checkedAt: number; serving?: { version: number; scorer: Scorer }; loading?: Promise<unknown> }
  >();

  constructor(
    private readonly ledger: Pick<LoopLedgerStore, 'latestModelVersion'>,
    private readonly artifacts: Pick<LoopArtifactStore, 'loadScorer'>,
    private readonly refreshMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(pipeline: string): Promise<{ version: number; scorer: Scorer } | undefined> {
    const entry = this.current_.get(pipeline) ?? { checkedAt: -Infinity };
    this.current_.set(pipeline, entry);
    if (this.now() - entry.checkedAt >= this.refreshMs) {
      // Concurrent events of a pipeline share one refresh.
      entry.loading ??= this.refresh(pipeline, entry).finally(() => (entry.loading = undefined));
      await entry.loading;
    }
    return entry.serving;
  }

  private async refresh(
    pipeline: string,
    entry: { checkedAt: number; serving?: { version: number; scorer: Scorer } },
  ): Promise<void> {
    const latest = await this.ledger.latestModelVersion(pipeline);
    if (latest && latest.version !== entry.serving?.version)
      entry.serving = {
        version: latest.version,
        scorer: await this.artifacts.loadScorer(latest.bucket, latest.key, latest.version),
      };
    entry.checkedAt = this.now();
  }
}
