import type { Scorer } from '@gyre/ml';
import type { ServingModel, ServingModelSource } from './infer.handler';
import type { LoopArtifactStore } from './loop-artifacts.store';
import type { ModelRolesStore } from './model-roles.store';

interface Entry {
  checkedAt: number;
  serving?: ServingModel;
  loading?: Promise<unknown>;
}

/**
 * The champion (and challenger) per pipeline, as infer needs them: reads the roles from Postgres at most every
 * `refreshMs`, so every workers process follows a promotion or rollback within it, without a restart; loads
 * each version's artifact from S3 once.
 */
export class ServingModels implements ServingModelSource {
  private readonly entries = new Map<string, Entry>();
  private readonly scorers = new Map<string, Promise<Scorer>>();

  constructor(
    private readonly roles: Pick<ModelRolesStore, 'serving'>,
    private readonly artifacts: Pick<LoopArtifactStore, 'loadScorer'>,
    private readonly refreshMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(pipeline: string): Promise<ServingModel | undefined> {
    const entry = this.entries.get(pipeline) ?? { checkedAt: -Infinity };
    this.entries.set(pipeline, entry);
    if (this.now() - entry.checkedAt >= this.refreshMs) {
      // Concurrent events of a pipeline share one refresh.
      entry.loading ??= this.refresh(pipeline, entry).finally(() => (entry.loading = undefined));
      await entry.loading;
    }
    return entry.serving;
  }

  private async refresh(pipeline: string, entry: Entry): Promise<void> {
    const { champion, challenger } = await this.roles.serving(pipeline);
    entry.serving = champion && {
      version: champion.version,
      scorer: await this.scorer(pipeline, champion),
      ...(challenger && {
        challenger: { version: challenger.version, scorer: await this.scorer(pipeline, challenger) },
      }),
    };
    entry.checkedAt = this.now();
  }

  private scorer(pipeline: string, model: { version: number; bucket: string; key: string }): Promise<Scorer> {
    const id = `${pipeline}\u0000${model.version}`;
    let loaded = this.scorers.get(id);
    if (!loaded) {
      loaded = this.artifacts.loadScorer(model.bucket, model.key, model.version);
      // A failed load is tried again at the next refresh, not remembered.
      loaded.catch(() => this.scorers.delete(id));
      this.scorers.set(id, loaded);
    }
    return loaded;
  }
}
