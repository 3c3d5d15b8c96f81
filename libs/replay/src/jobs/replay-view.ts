import type { ReplayCheckpointRecord, ReplayJobRecord, ReplayJobState } from '@gyre/database';
import type { ReplayEnd, ReplayFilter, ReplayStart, ReplayTarget } from '../model/replay-spec';

/** One source partition's progress. Ids are opaque message ids. */
export interface ReplayPartitionProgress {
  partition: number;
  startId: string | null;
  endId: string | null;
  lastId: string | null;
  scanned: number;
  events: number;
  bytes: number;
  estimated: number;
  done: boolean;
}

/** A replay job as the admin API shows it. */
export interface ReplayJobView {
  id: string;
  state: ReplayJobState;
  source: string;
  start: ReplayStart;
  end: ReplayEnd;
  filter: ReplayFilter | null;
  target: ReplayTarget;
  rateLimitPerSecond: number | null;
  /** Published to the target / read from the source / payload bytes published, over all partitions. */
  events: number;
  scanned: number;
  bytes: number;
  /** Entries between start and end when the job was created (an estimate: a batch is one entry). */
  estimated: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  partitions: ReplayPartitionProgress[];
  error: { code: string; message: string } | null;
  claims: number;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toView(job: ReplayJobRecord, checkpoints: ReplayCheckpointRecord[]): ReplayJobView {
  const partitions = checkpoints
    .filter((checkpoint) => checkpoint.jobId === job.id)
    .sort((a, b) => a.partition - b.partition)
    .map((c) => ({
      partition: c.partition,
      startId: c.startId,
      endId: c.endId,
      lastId: c.lastId,
      scanned: Number(c.scanned),
      events: Number(c.events),
      bytes: Number(c.bytes),
      estimated: Number(c.estimated),
      done: c.done,
    }));
  const sum = (field: 'scanned' | 'events' | 'bytes' | 'estimated') =>
    partitions.reduce((total, partition) => total + partition[field], 0);
  return {
    id: job.id,
    state: job.state,
    source: job.sourceStream,
    start: job.startPosition as ReplayStart,
    end: job.endPosition as ReplayEnd,
    filter: (job.filter as ReplayFilter | null) ?? null,
    target: job.target as ReplayTarget,
    rateLimitPerSecond: job.rateLimitPerSecond,
    events: sum('events'),
    scanned: sum('scanned'),
    bytes: sum('bytes'),
    estimated: sum('estimated'),
    ratePerSecond: job.ratePerSecond,
    etaSeconds: job.etaSeconds,
    partitions,
    error: job.error,
    claims: job.claims,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
