import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { resolveFeatureDefinition } from '@gyre/ml';
import type { DatasetCard } from '@gyre/ml';
import type { ModelMetrics, PredictionPayload } from './loop-contracts';
import { LoopLedgerStore } from './loop-ledger.store';
import { ModelRolesStore, RoleChange } from './model-roles.store';
import { LiveMetrics, liveMetrics } from './train-model';

/** A model version as lineage shows it. */
export interface ModelVersionView {
  readonly version: number;
  readonly artifact: { readonly bucket: string; readonly key: string; readonly checksum: string };
  readonly metrics: ModelMetrics;
}

/** One epoch of a loop: its inputs, the model that served it, the model it trained, and their figures. */
export interface EpochLineage {
  readonly epoch: number;
  readonly state: string;
  /** Transactions prepared in this epoch. */
  readonly events: number;
  /** Examples its predictions became (tagged epoch + 1). */
  readonly examples: number;
  readonly dataset: {
    readonly bucket: string;
    readonly keys: string[];
    readonly rowCount: number;
    readonly checksum: string;
    /** The dataset card train wrote with it; null for datasets written before cards existed. */
    readonly card: DatasetCard | null;
  } | null;
  /** The model that scored this epoch's events (null: none yet, the prior was predicted). */
  readonly servedBy: ModelVersionView | null;
  /** How the serving model (or the prior) did on this epoch's events, once their labels came. */
  readonly live: LiveMetrics | null;
  readonly trained: ModelVersionView | null;
}

/** An epoch in the list of a loop's epochs: its lineage, when training ran and where its objects are. */
export interface EpochSummary extends EpochLineage {
  readonly openedAt: string;
  readonly closedAt: string | null;
  /** From the trainer's claim to the model version's record (dataset and artifact writes included). */
  readonly trainingSeconds: number | null;
  /** `s3://bucket/key` of the epoch's Parquet dataset parts and of the model version it trained. */
  readonly datasetUris: string[];
  readonly modelUri: string | null;
  /** Which version served the epoch's events (null: the prior) and which scored them in shadow, with counts. */
  readonly scoredBy: readonly EpochScoring[];
  /** Role changes made while the epoch was the open one (a version trained at its end shows in the next). */
  readonly roleChanges: readonly RoleChange[];
}

/** How many of an epoch's events one version served while another (or none) scored them in shadow. */
export interface EpochScoring {
  readonly version: number | null;
  readonly shadowVersion: number | null;
  readonly events: number;
}

/** One prediction's lineage: the model that made it and the features it was made from. */
export interface PredictionLineage {
  readonly eventId: string;
  readonly epoch: number;
  readonly score: number;
  /** The model as the scorer names it (`fraud-v<n>`, `kserve:<model>`, `prior`). */
  readonly model: string;
  /** The built-in model version with its artifact and held-out metrics; null for the prior or an external model. */
  readonly modelVersion: ModelVersionView | null;
  readonly features: {
    readonly definition: string;
    readonly eventTime: number | null;
    /** Feature name to value, in the definition's order. */
    readonly values: Readonly<Record<string, number>>;
  };
  /** The outcome, once its label has arrived. */
  readonly label: 0 | 1 | null;
}

/** Reads a loop's bookkeeping back: per-epoch figures for the demo, lineage for the admin API. */
@Injectable()
export class LoopReport {
  private readonly ledger: LoopLedgerStore;

  constructor(private readonly dataSource: DataSource) {
    this.ledger = new LoopLedgerStore(dataSource);
  }

  /** Every epoch of a pipeline, oldest first; empty for a pipeline the loop has not seen. */
  async epochs(pipeline: string): Promise<EpochSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT epoch, opened_at, closed_at,
              extract(epoch FROM closed_at - training_claimed_at)::float8 AS training_seconds
         FROM gyre_loop_epochs WHERE pipeline = $1 ORDER BY epoch`,
      [pipeline],
    )) as { epoch: number; opened_at: Date; closed_at: Date | null; training_seconds: number | null }[];
    const changes = await new ModelRolesStore(this.dataSource).changes(pipeline);
    const scoring = await this.scoring(pipeline);
    const result: EpochSummary[] = [];
    for (const [index, row] of rows.entries()) {
      const lineage = await this.lineage(pipeline, row.epoch);
      if (!lineage) continue;
      const { dataset, trained } = lineage;
      const next = rows[index + 1]?.opened_at.getTime() ?? Infinity;
      result.push({
        ...lineage,
        openedAt: row.opened_at.toISOString(),
        closedAt: row.closed_at?.toISOString() ?? null,
        trainingSeconds: trained ? row.training_seconds : null,
        datasetUris: dataset ? dataset.keys.map((key) => s3Uri(dataset.bucket, key)) : [],
        modelUri: trained ? s3Uri(trained.artifact.bucket, trained.artifact.key) : null,
        scoredBy: scoring
          .filter((s) => s.epoch === row.epoch)
          .map((s) => ({ version: s.version, shadowVersion: s.shadowVersion, events: s.events })),
        roleChanges: changes.filter((change) => {
          const at = Date.parse(change.at);
          return at >= row.opened_at.getTime() && at < next;
        }),
      });
    }
    return result;
  }

  /** Per epoch, the served and shadow versions of its predictions (as feedback joined them). */
  private async scoring(pipeline: string): Promise<(EpochScoring & { epoch: number })[]> {
    return (await this.dataSource.query(
      `SELECT (prediction->>'epoch')::int AS epoch, (prediction->>'modelVersion')::int AS version,
              (prediction->'shadow'->>'modelVersion')::int AS "shadowVersion", count(*)::int AS events
         FROM gyre_loop_joins WHERE pipeline = $1 AND prediction IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [pipeline],
    )) as (EpochScoring & { epoch: number })[];
  }

  async lineage(pipeline: string, epoch: number): Promise<EpochLineage | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT e.state, e.serving_model_version, e.trained_model_version,
              (SELECT count(*)::int FROM gyre_loop_feature_rows f WHERE f.pipeline = e.pipeline AND f.epoch = e.epoch) AS events,
              (SELECT count(*)::int FROM gyre_loop_examples x WHERE x.pipeline = e.pipeline AND x.epoch = e.epoch + 1) AS examples
         FROM gyre_loop_epochs e WHERE e.pipeline = $1 AND e.epoch = $2`,
      [pipeline, epoch],
    )) as {
      state: string;
      serving_model_version: number | null;
      trained_model_version: number | null;
      events: number;
      examples: number;
    }[];
    if (!row) return undefined;
    const [dataset] = (await this.dataSource.query(
      `SELECT bucket, keys, row_count AS "rowCount", checksum, metadata->>'card' AS card
         FROM gyre_loop_dataset_manifests WHERE pipeline = $1 AND epoch = $2`,
      [pipeline, epoch],
    )) as { bucket: string; keys: string[]; rowCount: number; checksum: string; card: string | null }[];
    const served = await this.modelVersion(pipeline, row.serving_model_version);
    const examples = (await this.ledger.examplesThrough(pipeline, epoch + 1)).filter(
      (example) => example.epoch === epoch + 1,
    );
    return {
      epoch,
      state: row.state,
      events: row.events,
      examples: row.examples,
      dataset: dataset
        ? { ...dataset, card: dataset.card ? (JSON.parse(dataset.card) as DatasetCard) : null }
        : null,
      servedBy: served,
      live: liveMetrics(examples) ?? null,
      trained: await this.modelVersion(pipeline, row.trained_model_version),
    };
  }

  private async modelVersion(pipeline: string, version: number | null): Promise<ModelVersionView | null> {
    if (version === null) return null;
    const [row] = (await this.dataSource.query(
      `SELECT version, artifact_bucket, artifact_key, checksum, metrics FROM gyre_loop_model_versions
        WHERE pipeline = $1 AND version = $2`,
      [pipeline, version],
    )) as {
      version: number;
      artifact_bucket: string;
      artifact_key: string;
      checksum: string;
      metrics: ModelMetrics;
    }[];
    if (!row) return null;
    return {
      version: row.version,
      artifact: { bucket: row.artifact_bucket, key: row.artifact_key, checksum: row.checksum },
      metrics: row.metrics,
    };
  }

  /** undefined when the feedback stage has not recorded a prediction for this event. */
  async predictionLineage(pipeline: string, eventId: string): Promise<PredictionLineage | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT j.prediction, j.label, f.event_time FROM gyre_loop_joins j
         LEFT JOIN gyre_loop_feature_rows f ON f.pipeline = j.pipeline AND f.event_id = j.event_id
        WHERE j.pipeline = $1 AND j.event_id = $2 AND j.prediction IS NOT NULL`,
      [pipeline, eventId],
    )) as { prediction: PredictionPayload; label: number | null; event_time: string | null }[];
    if (!row) return undefined;
    const { prediction } = row;
    const definition = prediction.featureDefinition ?? DEFAULT_FEATURE_DEFINITION;
    const names = featureNames(definition, prediction.values.length);
    return {
      eventId,
      epoch: prediction.epoch,
      score: prediction.score,
      model:
        prediction.model ??
        (prediction.modelVersion === null ? 'prior' : `fraud-v${prediction.modelVersion}`),
      modelVersion: await this.modelVersion(pipeline, prediction.modelVersion),
      features: {
        definition,
        eventTime: row.event_time === null ? null : Number(row.event_time),
        values: Object.fromEntries(names.map((name, i) => [name, prediction.values[i]])),
      },
      label: row.label === null ? null : row.label === 1 ? 1 : 0,
    };
  }
}

function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Predictions made before they carried their definition were all made from the first one. */
const DEFAULT_FEATURE_DEFINITION = 'fraud.card-features@1';

/** The definition's feature names; positional names when it is unknown or does not fit the values. */
function featureNames(definition: string, count: number): string[] {
  try {
    const { features } = resolveFeatureDefinition(definition);
    if (features.length === count) return [...features];
  } catch {
    // An unknown definition still shows its values, by position.
  }
  return Array.from({ length: count }, (_, i) => `feature_${i}`);
}
