import type { DataSource } from 'typeorm';
import type { JoinRow, PredictionLabelJoin } from './feedback.handler';
import type { LabelPayload, PredictionPayload, TransactionPayload } from './loop-contracts';
import { queryRows } from './query-rows';
import type { CardFeatureStore, LabelCounts, RecordedFeatures } from './prepare.handler';

/**
 * The Postgres state of prepare and feedback: card snapshots and feature rows (gyre_loop_card_states,
 * gyre_loop_feature_rows), label counts (gyre_loop_label_rates, and per label with its time in
 * gyre_loop_labels) and the prediction/label join (gyre_loop_joins).
 */
export class LoopStateStore implements CardFeatureStore, PredictionLabelJoin {
  constructor(private readonly dataSource: DataSource) {}

  /** The highest epoch of the pipeline; the first call of a new pipeline opens epoch 1. */
  async currentEpoch(pipeline: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT max(epoch) AS epoch FROM gyre_loop_epochs WHERE pipeline = $1`,
      [pipeline],
    )) as { epoch: number | null }[];
    if (rows[0]?.epoch != null) return rows[0].epoch;
    await this.dataSource.query(
      `INSERT INTO gyre_loop_epochs (pipeline, epoch, state) VALUES ($1, 1, 'open') ON CONFLICT DO NOTHING`,
      [pipeline],
    );
    return 1;
  }

  async labelCounts(
    pipeline: string,
    merchantId: string,
    category: string,
    asOf: number,
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }> {
    // Point in time: only labels known strictly before the event's time (gyre_loop_labels.known_at).
    const rows = (await this.dataSource.query(
      `SELECT 'merchant' AS kind, count(*)::int AS labels, coalesce(sum(fraud), 0)::int AS fraud
         FROM gyre_loop_labels WHERE pipeline = $1 AND merchant_id = $2 AND known_at < $4
       UNION ALL
       SELECT 'category', count(*)::int, coalesce(sum(fraud), 0)::int
         FROM gyre_loop_labels WHERE pipeline = $1 AND category = $3 AND known_at < $4`,
      [pipeline, merchantId, category, asOf],
    )) as { kind: 'merchant' | 'category'; labels: number; fraud: number }[];
    const of = (kind: string): LabelCounts => {
      const row = rows.find((r) => r.kind === kind);
      return { labels: row?.labels ?? 0, fraud: row?.fraud ?? 0 };
    };
    return { merchant: of('merchant'), category: of('category') };
  }

  recordOnce(
    pipeline: string,
    transaction: TransactionPayload,
    compute: (snapshot: unknown) => { row: RecordedFeatures; snapshot: unknown },
  ): Promise<RecordedFeatures> {
    // Two statements between BEGIN and COMMIT (four round trips): prepare's throughput is bound by them.
    return this.dataSource.transaction(async (manager) => {
      // The card's row is the lock (the upsert takes it, a new card's row included): a worker taking over
      // the key waits for the previous one's commit. A feature row committed meanwhile by another worker
      // that held the event is not seen here, but its primary key refuses a second one (a retry sees it).
      const [card] = (await manager.query(
        `WITH card AS (
           INSERT INTO gyre_loop_card_states (pipeline, card_id, snapshot) VALUES ($1, $2, 'null'::jsonb)
           ON CONFLICT (pipeline, card_id) DO UPDATE SET snapshot = gyre_loop_card_states.snapshot
           RETURNING snapshot)
         SELECT (SELECT snapshot FROM card) AS snapshot,
                (SELECT json_build_object('epoch', epoch, 'values', "values") FROM gyre_loop_feature_rows
                  WHERE pipeline = $1 AND event_id = $3) AS recorded`,
        [pipeline, transaction.cardId, transaction.eventId],
      )) as { snapshot: unknown; recorded: RecordedFeatures | null }[];
      if (card.recorded) return card.recorded;
      const { row, snapshot } = compute(card.snapshot ?? undefined);
      await manager.query(
        `WITH recorded AS (
           INSERT INTO gyre_loop_feature_rows (pipeline, event_id, card_id, epoch, event_time, "values")
           VALUES ($1, $2, $3, $4, $5, $6::jsonb))
         UPDATE gyre_loop_card_states SET snapshot = $7::jsonb, updated_at = now()
          WHERE pipeline = $1 AND card_id = $3`,
        [
          pipeline,
          transaction.eventId,
          transaction.cardId,
          row.epoch,
          transaction.timestamp,
          JSON.stringify(row.values),
          JSON.stringify(snapshot),
        ],
      );
      return row;
    });
  }

  async recordPrediction(pipeline: string, prediction: PredictionPayload): Promise<JoinRow> {
    // One statement: a concurrent label for the same event waits on the row and sees this half.
    const rows = (await this.dataSource.query(
      `INSERT INTO gyre_loop_joins (pipeline, event_id, prediction) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (pipeline, event_id) DO UPDATE
          SET prediction = COALESCE(gyre_loop_joins.prediction, EXCLUDED.prediction), updated_at = now()
       RETURNING prediction, label`,
      [pipeline, prediction.eventId, JSON.stringify(prediction)],
    )) as { prediction: PredictionPayload | null; label: 0 | 1 | null }[];
    return rows[0];
  }

  recordLabel(pipeline: string, outcome: LabelPayload, label: 0 | 1): Promise<JoinRow> {
    return this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(
        `INSERT INTO gyre_loop_joins (pipeline, event_id, label) VALUES ($1, $2, NULL)
         ON CONFLICT (pipeline, event_id) DO UPDATE SET updated_at = now()
         RETURNING label`,
        [pipeline, outcome.eventId],
      )) as { label: number | null }[];
      if (before.label === null) {
        // With the time it became known, for prepare's point-in-time label rates.
        await manager.query(
          `INSERT INTO gyre_loop_labels (pipeline, event_id, merchant_id, category, fraud, known_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            pipeline,
            outcome.eventId,
            outcome.merchantId,
            outcome.merchantCategory,
            label,
            outcome.reportedAt,
          ],
        );
        // Counted once per event: the label column is the marker that this outcome was seen.
        for (const [kind, key] of [
          ['merchant', outcome.merchantId],
          ['category', outcome.merchantCategory],
        ])
          await manager.query(
            `INSERT INTO gyre_loop_label_rates (pipeline, kind, key, labels, fraud) VALUES ($1, $2, $3, 1, $4)
             ON CONFLICT (pipeline, kind, key) DO UPDATE
                SET labels = gyre_loop_label_rates.labels + 1, fraud = gyre_loop_label_rates.fraud + $4`,
            [pipeline, kind, key, label],
          );
      }
      const rows = queryRows<JoinRow>(
        await manager.query(
          `UPDATE gyre_loop_joins SET label = COALESCE(label, $3::smallint)
            WHERE pipeline = $1 AND event_id = $2 RETURNING prediction, label`,
          [pipeline, outcome.eventId, label],
        ),
      );
      return rows[0];
    });
  }
}
