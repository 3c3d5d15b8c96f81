import type { DataSource } from 'typeorm';
import type { ExamplePayload } from './loop-contracts';
import { assignTrainedRole } from './model-roles.store';
import { queryRows } from './query-rows';
import type { NewModelVersion, TrainingClaim, TrainingLedger } from './train.handler';
import type { ExampleRow } from './train-model';

/**
 * train's ledger in Postgres: examples (gyre_loop_examples), epochs (gyre_loop_epochs), model versions
 * (gyre_loop_model_versions) and dataset manifests (gyre_loop_dataset_manifests).
 */
export class LoopLedgerStore implements TrainingLedger {
  constructor(private readonly dataSource: DataSource) {}

  async addExample(pipeline: string, example: ExamplePayload): Promise<number> {
    await this.dataSource.query(
      `INSERT INTO gyre_loop_examples (pipeline, epoch, event_id, "values", label, score, model_version)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        pipeline,
        example.epoch,
        example.eventId,
        JSON.stringify(example.values),
        example.label,
        example.score,
        example.modelVersion,
      ],
    );
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count FROM gyre_loop_examples WHERE pipeline = $1 AND epoch = $2`,
      [pipeline, example.epoch],
    )) as { count: number }[];
    return row.count;
  }

  async claimTraining(pipeline: string, epoch: number, leaseSeconds: number): Promise<TrainingClaim> {
    // The outer SELECT sees the row as it was before the UPDATE: enough to tell busy from done.
    const [row] = queryRows<{ claimed: number; state: string | null }>(
      await this.dataSource.query(
        `WITH claimed AS (
           UPDATE gyre_loop_epochs SET state = 'training', training_claimed_at = now()
            WHERE pipeline = $1 AND epoch = $2
              AND (state = 'open'
                   OR (state = 'training' AND training_claimed_at < now() - make_interval(secs => $3)))
            RETURNING epoch)
         SELECT (SELECT count(*)::int FROM claimed) AS claimed,
                (SELECT state FROM gyre_loop_epochs WHERE pipeline = $1 AND epoch = $2) AS state`,
        [pipeline, epoch, leaseSeconds],
      ),
    );
    if (row.claimed === 1) return 'claimed';
    return row.state === 'training' ? 'busy' : 'done';
  }

  async releaseTraining(pipeline: string, epoch: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE gyre_loop_epochs SET state = 'open', training_claimed_at = NULL
        WHERE pipeline = $1 AND epoch = $2 AND state = 'training'`,
      [pipeline, epoch],
    );
  }

  /**
   * With each event's key and event time from prepare's feature row (the pipeline's own state scope). With
   * `labelsKnownBy` (event-time ms), only examples whose label was known by then (gyre_loop_labels.known_at):
   * a label that matures later joins a later epoch's training set. An example without a recorded label time
   * counts as known, and so does every example tagged up to `historyThrough` (the labelled history's). With
   * `fromEpoch`, only examples tagged from it on (a training window).
   */
  async examplesThrough(
    pipeline: string,
    epoch: number,
    labelsKnownBy?: number,
    historyThrough = 0,
    fromEpoch = 0,
  ): Promise<ExampleRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT e.event_id, e.epoch, e."values", e.label, e.score, e.model_version,
              f.card_id AS key, f.event_time::float8 AS event_time
         FROM gyre_loop_examples e
         -- One primary-key lookup per example (a LATERAL ... LIMIT 1 is never turned into a join): with the
         -- statistics of a pipeline too new for them, the planner's join once took 26 s on 4,000 examples.
         LEFT JOIN LATERAL (SELECT card_id, event_time FROM gyre_loop_feature_rows
                             WHERE pipeline = e.pipeline AND event_id = e.event_id LIMIT 1) f ON true
         LEFT JOIN LATERAL (SELECT known_at FROM gyre_loop_labels
                             WHERE pipeline = e.pipeline AND event_id = e.event_id LIMIT 1) l ON true
        WHERE e.pipeline = $1 AND e.epoch <= $2 AND e.epoch >= $5
          AND ($3::bigint IS NULL OR e.epoch <= $4 OR l.known_at IS NULL OR l.known_at <= $3)
        ORDER BY e.epoch, e.event_id`,
      [pipeline, epoch, labelsKnownBy ?? null, historyThrough, fromEpoch],
    )) as {
      event_id: string;
      key: string | null;
      event_time: number | null;
      epoch: number;
      values: number[];
      label: number;
      score: number;
      model_version: number | null;
    }[];
    return rows.map((row) => ({
      eventId: row.event_id,
      epoch: row.epoch,
      key: row.key,
      eventTime: row.event_time,
      values: row.values,
      label: row.label === 1 ? 1 : 0,
      score: row.score,
      modelVersion: row.model_version,
    }));
  }

  async recordModelVersion(pipeline: string, version: NewModelVersion): Promise<void> {
    const { dataset, artifact } = version;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO gyre_loop_dataset_manifests
           (pipeline, epoch, bucket, keys, row_count, schema, checksum, size_bytes, metadata)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $9::jsonb)
         ON CONFLICT (pipeline, epoch) DO UPDATE
            SET bucket = EXCLUDED.bucket, keys = EXCLUDED.keys, row_count = EXCLUDED.row_count,
                schema = EXCLUDED.schema, checksum = EXCLUDED.checksum, size_bytes = EXCLUDED.size_bytes,
                metadata = EXCLUDED.metadata`,
        [
          pipeline,
          version.epoch,
          dataset.bucket,
          JSON.stringify([dataset.key]),
          dataset.rowCount,
          JSON.stringify(dataset.schema),
          dataset.checksum,
          dataset.sizeBytes,
          JSON.stringify(dataset.metadata),
        ],
      );
      // Inserted retired; assignTrainedRole then gives it its role (champion or challenger) under the roles lock.
      const inserted = queryRows<{ version: number }>(
        await manager.query(
          `INSERT INTO gyre_loop_model_versions
             (pipeline, version, epoch, artifact_bucket, artifact_key, checksum, dataset_key, metrics, training, role)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, 'retired')
           ON CONFLICT DO NOTHING RETURNING version`,
          [
            pipeline,
            version.version,
            version.epoch,
            artifact.bucket,
            artifact.key,
            artifact.checksum,
            dataset.key,
            JSON.stringify(version.metrics),
            JSON.stringify(version.training),
          ],
        ),
      );
      const { champion } = await assignTrainedRole(
        manager,
        pipeline,
        version.version,
        inserted.length === 1,
        version.onHistory === true,
      );
      await manager.query(
        `UPDATE gyre_loop_epochs SET state = 'closed', trained_model_version = $3, closed_at = now()
          WHERE pipeline = $1 AND epoch = $2`,
        [pipeline, version.epoch, version.version],
      );
      await manager.query(
        `INSERT INTO gyre_loop_epochs (pipeline, epoch, state, serving_model_version) VALUES ($1, $2, 'open', $3)
         ON CONFLICT DO NOTHING`,
        [pipeline, version.epoch + 1, champion],
      );
    });
  }

  /** The end of `epoch` in event time: the latest transaction of the epochs up to it (null: none recorded). */
  async epochCutoff(pipeline: string, epoch: number): Promise<number | null> {
    const [row] = (await this.dataSource.query(
      `SELECT max(event_time)::float8 AS cutoff FROM gyre_loop_feature_rows WHERE pipeline = $1 AND epoch <= $2`,
      [pipeline, epoch],
    )) as { cutoff: number | null }[];
    return row?.cutoff ?? null;
  }

  /** The newest model version of a pipeline (whatever its role), with its artifact's location. */
  async latestModelVersion(
    pipeline: string,
  ): Promise<{ version: number; bucket: string; key: string; checksum: string } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT version, artifact_bucket AS bucket, artifact_key AS key, checksum
         FROM gyre_loop_model_versions WHERE pipeline = $1 ORDER BY version DESC LIMIT 1`,
      [pipeline],
    )) as { version: number; bucket: string; key: string; checksum: string }[];
    return rows[0];
  }
}
