import type { TimeSeries } from '../plot';

/** Each stage's processed total at one look, as the status route reports it. */
export interface ProcessedSample {
  at: number;
  processed: Record<string, number>;
}

/** The looks kept per page: a bounded series, as the API's own samples are. */
export const MAX_THROUGHPUT_SAMPLES = 300;

/**
 * Throughput per stage between successive looks (events per second). A total that went down (a stale worker
 * left out of the sum, a restart) counts as no progress rather than as negative throughput.
 */
export function stageThroughput(samples: readonly ProcessedSample[]): TimeSeries {
  const stages = [...new Set(samples.flatMap((sample) => Object.keys(sample.processed)))].sort();
  const pairs = samples.slice(1).map((sample, index) => [samples[index], sample] as const);
  return {
    times: pairs.map(([, next]) => next.at / 1000),
    series: stages.map((stage) => ({
      label: stage,
      values: pairs.map(([previous, next]) => {
        const before = previous.processed[stage];
        const after = next.processed[stage];
        if (before === undefined || after === undefined || next.at <= previous.at) return null;
        return Math.round((Math.max(0, after - before) / ((next.at - previous.at) / 1000)) * 10) / 10;
      }),
    })),
  };
}
