import { exportRow } from '../model/export-columns';
import type { DatasetPartWriter } from './dataset-part-writer';
import type { ReplayedEvent, ReplaySink } from './replay-sink';

/**
 * Target `datasetExport`: each replayed event becomes a row (Gyre's columns, then the payload's), one
 * Parquet part per checkpoint. Parts are large, so this sink asks for checkpoints every `partEvents`
 * events (or `partIntervalMs`) instead of the stream target's cadence.
 */
export class DatasetExportSink implements ReplaySink {
  readonly checkpointEveryEvents: number;
  readonly checkpointIntervalMs: number;

  constructor(
    private readonly writer: DatasetPartWriter,
    private readonly columns: Parameters<typeof exportRow>[0],
    cadence: { partEvents: number; partIntervalMs: number },
  ) {
    this.checkpointEveryEvents = cadence.partEvents;
    this.checkpointIntervalMs = cadence.partIntervalMs;
  }

  accept(event: ReplayedEvent): undefined {
    this.writer.add(event.sequence, exportRow(this.columns, event));
    return undefined;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
