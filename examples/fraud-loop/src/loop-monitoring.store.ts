import { AuditLogEntry } from '@gyre/database';
import type { DatasetManifest } from '@gyre/storage';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_MONITORING_THRESHOLDS } from '@gyre/ml';
import type { MonitoringThresholds, ThresholdCrossing } from '@gyre/ml';

/**
 * How a model version scored an event: `served` (its score was the prediction) or `shadow` (the challenger's
 * score, recorded beside the served one and never served).
 */
export type MonitoringRole = 'served' | 'shadow';

/** One score of an event in a monitoring window: the model version that gave it, how, and the label if known. */
export interface MonitoredPrediction {
  readonly modelVersion: number;
  readonly role: MonitoringRole;
  readonly epoch: number;
  readonly values: number[];
  readonly score: number;
  readonly label: 0 | 1 | null;
  readonly eventTime: number | null;
}

/** Which predictions a window holds: one epoch's, or the latest `size` of each (role, model version). */
export type WindowQuery = { kind: 'epoch'; epoch?: number } | { kind: 'rolling'; size: number };

/** Where a model version's artifact and training dataset are. */
export interface ModelReferenceSource {
  readonly artifact: { readonly bucket: string; readonly key: string };
  readonly dataset: DatasetManifest;
}

/** What a model monitoring gauge shows for one (pipeline, model version, role, window kind). */
export interface MonitoringFigures {
  readonly pipeline: string;
  readonly modelVersion: number;
  readonly role: MonitoringRole;
  readonly window: 'epoch' | 'rolling';
  /** The epoch of an epoch window's figures; null for a rolling window. */
  readonly epoch: number | null;
  readonly featurePsiMax: number | null;
  readonly predictionPsi: number | null;
  readonly ece: number | null;
  readonly liveAuc: number | null;
}

/** The audit log's actor for what monitoring does on its own (a crossing is not an admin's act). */
export const MONITORING_ACTOR = 'system:monitoring';

/**
 * Model monitoring's Postgres I/O: served and shadow scores with their labels (gyre_loop_joins), model versions
 * and their dataset manifests, thresholds, alert states, evaluated epochs and the gauges' latest figures
 * (gyre_loop_monitoring_*).
 */
export class LoopMonitoringStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The scores of built-in model versions (not the prior, not an external model): each prediction's served score
   * and, if a challenger scored it in shadow, that score too (one row each).
   */
  async predictions(pipeline: string, window: WindowQuery): Promise<MonitoredPrediction[]> {
    const base = `SELECT s.role, s.model_version,
                         (j.prediction->>'epoch')::int AS epoch,
                         j.prediction->'values' AS "values",
                         s.score, j.label, f.event_time::float8 AS event_time, j.event_id
                    FROM gyre_loop_joins j
                    -- One primary-key lookup per prediction: on a pipeline too new for the planner's statistics,
                    -- a plain join became a nested loop over sequential scans (11 s and more on 12,000 rows).
                    LEFT JOIN LATERAL (SELECT event_time FROM gyre_loop_feature_rows
                                        WHERE pipeline = j.pipeline AND event_id = j.event_id LIMIT 1) f ON true
                    -- The shadow score is a second row of the same join row, not a second scan of the table.
                    CROSS JOIN LATERAL (VALUES
                      ('served', (j.prediction->>'modelVersion')::int, (j.prediction->>'score')::float8),
                      ('shadow', (j.prediction->'shadow'->>'modelVersion')::int,
                                 (j.prediction->'shadow'->>'score')::float8)) s(role, model_version, score)
                   WHERE j.pipeline = $1 AND j.prediction IS NOT NULL AND s.model_version IS NOT NULL`;
    const rows = (
      window.kind === 'epoch'
        ? await this.dataSource.query(
            `${base} AND ($2::int IS NULL OR (j.prediction->>'epoch')::int = $2) ORDER BY epoch, j.event_id, s.role`,
            [pipeline, window.epoch ?? null],
          )
        : await this.dataSource.query(
            `SELECT * FROM (
               SELECT p.*, row_number() OVER (PARTITION BY p.role, p.model_version
                                              ORDER BY p.event_time DESC NULLS LAST, p.event_id DESC) AS n
                 FROM (${base}) p) ranked
              WHERE n <= $2 ORDER BY role, model_version, event_time, event_id`,
            [pipeline, window.size],
          )
    ) as {
      role: MonitoringRole;
      model_version: number;
      epoch: number;
      values: number[];
      score: number;
      label: number | null;
      event_time: number | null;
    }[];
    return rows.map((row) => ({
      modelVersion: row.model_version,
      role: row.role,
      epoch: row.epoch,
      values: row.values,
      score: row.score,
      label: row.label === null ? null : row.label === 1 ? 1 : 0,
      eventTime: row.event_time,
    }));
  }

  /** The version's artifact and the manifest of the dataset it was trained on; undefined if unknown. */
  async modelReference(pipeline: string, version: number): Promise<ModelReferenceSource | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT v.artifact_bucket, v.artifact_key, d.bucket, d.keys, d.row_count, d.schema, d.checksum,
              d.size_bytes::float8 AS size_bytes, d.metadata
         FROM gyre_loop_model_versions v
         JOIN gyre_loop_dataset_manifests d ON d.pipeline = v.pipeline AND d.epoch = v.epoch
        WHERE v.pipeline = $1 AND v.version = $2`,
      [pipeline, version],
    )) as {
      artifact_bucket: string;
      artifact_key: string;
      bucket: string;
      keys: string[];
      row_count: number;
      schema: DatasetManifest['schema'];
      checksum: string;
      size_bytes: number;
      metadata: Record<string, string>;
    }[];
    if (!row) return undefined;
    return {
      artifact: { bucket: row.artifact_bucket, key: row.artifact_key },
      dataset: {
        format: 'parquet',
        bucket: row.bucket,
        keys: row.keys,
        rowCount: row.row_count,
        schema: row.schema,
        checksum: { algorithm: 'sha256', value: row.checksum },
        sizeBytes: row.size_bytes,
        metadata: row.metadata,
      },
    };
  }

  /** Whether the loop has recorded the pipeline (an epoch of it). */
  async knows(pipeline: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM gyre_loop_epochs WHERE pipeline = $1 LIMIT 1`, [
      pipeline,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** The pipeline's thresholds: the defaults, overridden by what an admin set. */
  async thresholds(
    pipeline: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MonitoringThresholds> {
    const [row] = (await manager.query(
      `SELECT thresholds FROM gyre_loop_monitoring_thresholds WHERE pipeline = $1`,
      [pipeline],
    )) as { thresholds: Partial<MonitoringThresholds> }[];
    return { ...DEFAULT_MONITORING_THRESHOLDS, ...(row?.thresholds ?? {}) };
  }

  /**
   * Replaces the pipeline's thresholds with what `change` makes of the current ones, and audits it, in one
   * transaction (the row lock orders two concurrent changes).
   */
  updateThresholds(
    pipeline: string,
    change: (current: MonitoringThresholds) => MonitoringThresholds,
    actor: string,
  ): Promise<MonitoringThresholds> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO gyre_loop_monitoring_thresholds (pipeline, thresholds) VALUES ($1, '{}'::jsonb)
         ON CONFLICT (pipeline) DO NOTHING`,
        [pipeline],
      );
      await manager.query(`SELECT 1 FROM gyre_loop_monitoring_thresholds WHERE pipeline = $1 FOR UPDATE`, [
        pipeline,
      ]);
      const before = await this.thresholds(pipeline, manager);
      const after = change(before);
      await manager.query(
        `UPDATE gyre_loop_monitoring_thresholds SET thresholds = $2::jsonb, updated_at = now() WHERE pipeline = $1`,
        [pipeline, JSON.stringify(after)],
      );
      await audit(manager, actor, 'monitoring.thresholds.update', `pipeline/${pipeline}`, before, after);
      return after;
    });
  }

  /**
   * Records whether each measure of a (window, model version, role) is over its threshold now, and returns the
   * crossings that are new: each is audited in the same transaction, so it is reported once however many
   * processes evaluate. A measure back under its threshold is re-armed.
   */
  recordAlertStates(
    pipeline: string,
    window: string,
    modelVersion: number,
    role: MonitoringRole,
    crossings: readonly ThresholdCrossing[],
    judged: readonly string[],
  ): Promise<ThresholdCrossing[]> {
    return this.dataSource.transaction(async (manager) => {
      const fresh: ThresholdCrossing[] = [];
      for (const measure of [...judged].sort()) {
        const crossing = crossings.find((c) => c.measure === measure);
        await manager.query(
          `INSERT INTO gyre_loop_monitoring_alerts (pipeline, "window", model_version, role, measure, crossed)
           VALUES ($1, $2, $3, $4, $5, false) ON CONFLICT DO NOTHING`,
          [pipeline, window, modelVersion, role, measure],
        );
        const [state] = (await manager.query(
          `SELECT crossed FROM gyre_loop_monitoring_alerts
            WHERE pipeline = $1 AND "window" = $2 AND model_version = $3 AND role = $4 AND measure = $5
              FOR UPDATE`,
          [pipeline, window, modelVersion, role, measure],
        )) as { crossed: boolean }[];
        if (state.crossed === Boolean(crossing)) continue;
        await manager.query(
          `UPDATE gyre_loop_monitoring_alerts SET crossed = $6, value = $7, threshold = $8, changed_at = now()
            WHERE pipeline = $1 AND "window" = $2 AND model_version = $3 AND role = $4 AND measure = $5`,
          [
            pipeline,
            window,
            modelVersion,
            role,
            measure,
            Boolean(crossing),
            crossing?.value ?? null,
            crossing?.threshold ?? null,
          ],
        );
        if (crossing) {
          fresh.push(crossing);
          await audit(
            manager,
            MONITORING_ACTOR,
            'monitoring.threshold.crossed',
            `pipeline/${pipeline}/model/v${modelVersion}`,
            { measure, window, role, crossed: false },
            {
              measure,
              window,
              role,
              crossed: true,
              value: crossing.value,
              threshold: crossing.threshold,
              // featurePsi: the feature over its threshold (undefined, and so absent, for other measures).
              feature: crossing.feature,
            },
          );
        }
      }
      return fresh;
    });
  }

  /**
   * Claims closed epochs that no process has evaluated yet, however long ago they closed (an API that was
   * down for hours catches up), oldest first, at most `limit` (each claim is taken once).
   */
  async claimClosedEpochs(limit: number): Promise<{ pipeline: string; epoch: number }[]> {
    return (await this.dataSource.query(
      `INSERT INTO gyre_loop_monitoring_epochs (pipeline, epoch)
       SELECT e.pipeline, e.epoch FROM gyre_loop_epochs e
        WHERE e.state = 'closed'
          AND NOT EXISTS (SELECT 1 FROM gyre_loop_monitoring_epochs m
                           WHERE m.pipeline = e.pipeline AND m.epoch = e.epoch)
        ORDER BY e.closed_at, e.pipeline, e.epoch LIMIT $1
       ON CONFLICT DO NOTHING RETURNING pipeline, epoch`,
      [limit],
    )) as { pipeline: string; epoch: number }[];
  }

  /**
   * Stores a window's gauge figures as the latest of its (pipeline, version, role, window kind), unless they are
   * an older epoch's than the stored ones; true if they were stored (and so are the ones to show).
   */
  async recordFigures(figures: MonitoringFigures): Promise<boolean> {
    const stored = (await this.dataSource.query(
      `INSERT INTO gyre_loop_monitoring_figures AS f
              (pipeline, model_version, role, "window", epoch, feature_psi_max, prediction_psi, ece, live_auc)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (pipeline, model_version, "window", role) DO UPDATE
          SET epoch = excluded.epoch, feature_psi_max = excluded.feature_psi_max,
              prediction_psi = excluded.prediction_psi, ece = excluded.ece, live_auc = excluded.live_auc,
              evaluated_at = now()
        WHERE f.epoch IS NULL OR excluded.epoch IS NULL OR excluded.epoch >= f.epoch
       RETURNING 1`,
      [
        figures.pipeline,
        figures.modelVersion,
        figures.role,
        figures.window,
        figures.epoch,
        figures.featurePsiMax,
        figures.predictionPsi,
        figures.ece,
        figures.liveAuc,
      ],
    )) as unknown[];
    return stored.length > 0;
  }

  /** Every stored latest figures row (a handful per pipeline), to fill the gauges of a starting process. */
  async latestFigures(): Promise<MonitoringFigures[]> {
    const rows = (await this.dataSource.query(
      `SELECT pipeline, model_version, role, "window", epoch, feature_psi_max, prediction_psi, ece, live_auc
         FROM gyre_loop_monitoring_figures ORDER BY pipeline, model_version, role, "window"`,
    )) as {
      pipeline: string;
      model_version: number;
      role: MonitoringRole;
      window: 'epoch' | 'rolling';
      epoch: number | null;
      feature_psi_max: number | null;
      prediction_psi: number | null;
      ece: number | null;
      live_auc: number | null;
    }[];
    return rows.map((row) => ({
      pipeline: row.pipeline,
      modelVersion: row.model_version,
      role: row.role,
      window: row.window,
      epoch: row.epoch,
      featurePsiMax: row.feature_psi_max,
      predictionPsi: row.prediction_psi,
      ece: row.ece,
      liveAuc: row.live_auc,
    }));
  }
}

async function audit(
  manager: EntityManager,
  actor: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await manager
    .getRepository(AuditLogEntry)
    .save(Object.assign(new AuditLogEntry(), { actor, action, target, before, after }));
}
