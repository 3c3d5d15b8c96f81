import { Injectable } from '@nestjs/common';
import { ReplayLabelSource } from '@gyre/replay';
import { DataSource } from 'typeorm';

/**
 * The loop's labels for feature rebuilds (gyre_loop_labels, written by prepare as labels arrive): 1 fraud,
 * 0 legit; a rebuild's training dataset stores them beside the features.
 */
@Injectable()
export class LoopLabelSource extends ReplayLabelSource {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async labelsOf(pipeline: string, eventIds: readonly string[]): Promise<Map<string, number>> {
    if (eventIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT event_id, fraud FROM gyre_loop_labels WHERE pipeline = $1 AND event_id = ANY($2)`,
      [pipeline, eventIds],
    )) as Array<{ event_id: string; fraud: number }>;
    return new Map(rows.map((row) => [row.event_id, Number(row.fraud)]));
  }
}
