import type { DataSource } from 'typeorm';
import { EpochMaturity, maturityByEpoch, MaturityRow } from './label-maturity';
import { queryRows } from './query-rows';

/** Each epoch's events (prepare's feature rows) with their served score and their label, if known, and when. */
export class LabelMaturityStore {
  constructor(private readonly dataSource: DataSource) {}

  async byEpoch(pipeline: string): Promise<EpochMaturity[]> {
    const rows = queryRows<MaturityRow>(
      await this.dataSource.query(
        `SELECT f.epoch, f.event_time::float8 AS "eventTime", l.known_at::float8 AS "knownAt",
                j.label::int AS label, (j.prediction->>'score')::float8 AS score
           FROM gyre_loop_feature_rows f
           -- Primary-key lookups per row, so a pipeline too new for the planner's statistics is not read by
           -- nested sequential scans.
           LEFT JOIN LATERAL (SELECT label, prediction FROM gyre_loop_joins
                               WHERE pipeline = f.pipeline AND event_id = f.event_id LIMIT 1) j ON true
           LEFT JOIN LATERAL (SELECT known_at FROM gyre_loop_labels
                               WHERE pipeline = f.pipeline AND event_id = f.event_id LIMIT 1) l ON true
          WHERE f.pipeline = $1`,
        [pipeline],
      ),
    );
    return maturityByEpoch(
      rows.map((row) => ({ ...row, label: row.label === null ? null : row.label === 1 ? 1 : 0 })),
    );
  }
}
