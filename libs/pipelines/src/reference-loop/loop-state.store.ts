import type { DataSource, EntityManager } from 'typeorm';
import type { JoinRow, PredictionLabelJoin } from './feedback.handler';
import type { LabelPayload, PredictionPayload, TransactionPayload } from './loop-contracts';
import { queryRows } from './query-rows';
import type { CardFeatureStore, LabelCounts, RecordedFeatures } from './prepare.handler';

/**
 * The Postgres state of prepare and feedback: card snapshots and feature rows (gyre_loop_card_states,
 * gyre_loop_feature_rows), label counts (gyre_loop_label_rates) and the prediction/label join (gyre_loop_joins).
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
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }> {
    const rows = (await this.dataSource.query(
      `SELECT kind, labels, fraud FROM gyre_loop_label_rates
        WHERE pipeline = $1 AND ((kind = 'merchant' AND key = $2) OR (kind = 'category' AND key = $3))`,
      [pipeline, merchantId, category],
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
    return this.dataSource.transaction(async (manager) => {
      // The card's row is the lock: a worker taking over the key waits for the previous one's commit.
      await manager.query(
        `INSERT INTO gyre_loop_card_states (pipeline, card_id, snapshot) VALUES ($1, $2, 'null'::jsonb)
         ON CONFLICT DO NOTHING`,
        [pipeline, transaction.cardId],
      );
      const [card] = (await manager.query(
        `SELECT snapshot FROM gyre_loop_card_states WHERE pipeline = $1 AND card_id = $2 FOR UPDATE`,
        [pipeline, transaction.cardId],
      )) as { snapshot: unknown }[];
      const recorded = await existingRow(manager, pipeline, transaction.eventId);
      if (recorded) return recorded;
      const { row, snapshot } = compute(card.snapshot ?? undefined);
      await manager.query(
        `INSERT INTO gyre_loop_feature_rows (pipeline, event_id, card_id, epoch, event_time, "values")
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [
          pipeline,
          transaction.eventId,
          transaction.cardId,
          row.epoch,
          transaction.timestamp,
          JSON.stringify(row.values),
        ],
      );
      await manager.query(
        `UPDATE gyre_loop_card_states SET snapshot = $3::jsonb, updated_at = now()
          WHERE pipeline = $1 AND card_id = $2`,
        [pipeline, transaction.cardId, JSON.stringify(snapshot)],
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

async function existingRow(
  manager: EntityManager,
  pipeline: string,
  eventId: string,
): Promise<RecordedFeatures | undefined> {
  const rows = (await manager.query(
    `SELECT epoch, "values" FROM gyre_loop_feature_rows WHERE pipeline = $1 AND event_id = $2`,
    [pipeline, eventId],
  )) as { epoch: number; values: number[] }[];
  return rows[0];
}
