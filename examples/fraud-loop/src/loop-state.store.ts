import type { DataSource } from 'typeorm';
import type { JoinRow, PredictionLabelJoin } from './feedback.handler';
import type { LabelPayload, PredictionPayload, TransactionPayload } from './loop-contracts';
import { queryRows } from './query-rows';
import type {
  CardFeatureStore,
  CardStep,
  LabelCounts,
  LabelCountsQuery,
  RecordedFeatures,
} from './prepare.handler';

// A recorded feature row as RecordedFeatures (json_strip_nulls: lateByMs only when the event came late).
const RECORDED_ROW = `json_strip_nulls(json_build_object('epoch', epoch, 'values', "values", 'lateByMs', late_by_ms))`;

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

  /** labelCounts for many events in one round trip, in their order. */
  async labelCountsMany(
    pipeline: string,
    queries: readonly LabelCountsQuery[],
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }[]> {
    if (queries.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT q.i::int AS i, m.labels AS m_labels, m.fraud AS m_fraud, c.labels AS c_labels, c.fraud AS c_fraud
         FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS q(merchant_id, category, as_of, i)
         CROSS JOIN LATERAL (SELECT count(*)::int AS labels, coalesce(sum(fraud), 0)::int AS fraud
                               FROM gyre_loop_labels l
                              WHERE l.pipeline = $1 AND l.merchant_id = q.merchant_id AND l.known_at < q.as_of) m
         CROSS JOIN LATERAL (SELECT count(*)::int AS labels, coalesce(sum(fraud), 0)::int AS fraud
                               FROM gyre_loop_labels l
                              WHERE l.pipeline = $1 AND l.category = q.category AND l.known_at < q.as_of) c`,
      [
        pipeline,
        queries.map((q) => q.merchantId),
        queries.map((q) => q.category),
        queries.map((q) => q.asOf),
      ],
    )) as { i: number; m_labels: number; m_fraud: number; c_labels: number; c_fraud: number }[];
    const counts = new Array<{ merchant: LabelCounts; category: LabelCounts }>(queries.length);
    for (const row of rows)
      counts[row.i - 1] = {
        merchant: { labels: row.m_labels, fraud: row.m_fraud },
        category: { labels: row.c_labels, fraud: row.c_fraud },
      };
    return counts;
  }

  /**
   * recordOnce for a batch, in ONE transaction of four round trips (BEGIN, lock-and-read, write, COMMIT)
   * whatever its size: the batch's cards are locked and read, its already recorded rows read, `step` runs
   * per transaction in order on the card's latest snapshot, and the new rows and snapshots are written with
   * multi-row statements. A step that returns an Error leaves no trace; one that throws rolls back all.
   */
  recordBatch(
    scope: string,
    transactions: readonly TransactionPayload[],
    step: CardStep,
  ): Promise<(RecordedFeatures | Error)[]> {
    return this.dataSource.transaction(async (manager) => {
      // Locked in card order, so two workers briefly sharing cards (a key hand-over) cannot deadlock.
      const cards = [...new Set(transactions.map((t) => t.cardId))].sort();
      const [loaded] = (await manager.query(
        `WITH cards AS (
           INSERT INTO gyre_loop_card_states (pipeline, card_id, snapshot)
           SELECT $1, c.card_id, 'null'::jsonb FROM unnest($2::text[]) AS c(card_id) ORDER BY c.card_id
           ON CONFLICT (pipeline, card_id) DO UPDATE SET snapshot = gyre_loop_card_states.snapshot
           RETURNING card_id, snapshot)
         SELECT (SELECT json_object_agg(card_id, snapshot) FROM cards) AS snapshots,
                (SELECT json_object_agg(event_id, ${RECORDED_ROW})
                   FROM gyre_loop_feature_rows WHERE pipeline = $1 AND event_id = ANY($3::text[])) AS recorded`,
        [scope, cards, [...new Set(transactions.map((t) => t.eventId))]],
      )) as {
        snapshots: Record<string, unknown> | null;
        recorded: Record<string, RecordedFeatures> | null;
      }[];
      const snapshots = new Map(Object.entries(loaded.snapshots ?? {}));
      const recorded = new Map(Object.entries(loaded.recorded ?? {}));
      const fresh: { transaction: TransactionPayload; row: RecordedFeatures }[] = [];
      const results = transactions.map((transaction, position) => {
        const known = recorded.get(transaction.eventId);
        if (known) return known; // recorded before, or earlier in this batch (the same event twice)
        const outcome = step(transaction, snapshots.get(transaction.cardId) ?? undefined, position);
        if (outcome instanceof Error) return outcome;
        snapshots.set(transaction.cardId, outcome.snapshot);
        recorded.set(transaction.eventId, outcome.row);
        fresh.push({ transaction, row: outcome.row });
        return outcome.row;
      });
      if (fresh.length === 0) return results;
      const changed = [...new Set(fresh.map(({ transaction }) => transaction.cardId))];
      // A row committed meanwhile by a worker that held the key before is refused by the primary key:
      // the batch fails and its retry reads that row.
      await manager.query(
        `WITH recorded AS (
           INSERT INTO gyre_loop_feature_rows (pipeline, event_id, card_id, epoch, event_time, "values", late_by_ms)
           SELECT $1, r.event_id, r.card_id, r.epoch, r.event_time, r.feature_values::jsonb, r.late_by_ms
             FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $9::bigint[])
                  AS r(event_id, card_id, epoch, event_time, feature_values, late_by_ms))
         UPDATE gyre_loop_card_states s SET snapshot = u.snapshot::jsonb, updated_at = now()
           FROM unnest($7::text[], $8::text[]) AS u(card_id, snapshot)
          WHERE s.pipeline = $1 AND s.card_id = u.card_id`,
        [
          scope,
          fresh.map(({ transaction }) => transaction.eventId),
          fresh.map(({ transaction }) => transaction.cardId),
          fresh.map(({ row }) => row.epoch),
          fresh.map(({ transaction }) => transaction.timestamp),
          fresh.map(({ row }) => JSON.stringify(row.values)),
          changed,
          changed.map((card) => JSON.stringify(snapshots.get(card))),
          fresh.map(({ row }) => row.lateByMs ?? null),
        ],
      );
      return results;
    });
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
                (SELECT ${RECORDED_ROW} FROM gyre_loop_feature_rows
                  WHERE pipeline = $1 AND event_id = $3) AS recorded`,
        [pipeline, transaction.cardId, transaction.eventId],
      )) as { snapshot: unknown; recorded: RecordedFeatures | null }[];
      if (card.recorded) return card.recorded;
      const { row, snapshot } = compute(card.snapshot ?? undefined);
      await manager.query(
        `WITH recorded AS (
           INSERT INTO gyre_loop_feature_rows (pipeline, event_id, card_id, epoch, event_time, "values", late_by_ms)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $8))
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
          row.lateByMs ?? null,
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
