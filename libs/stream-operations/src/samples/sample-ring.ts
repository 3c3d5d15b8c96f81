/** One reading of a stream's counters, as the console plots it. */
export interface StreamSample {
  /** Milliseconds since the epoch. */
  at: number;
  /** Messages published since the broker loaded the topic (Pulsar's msgInCounter, summed over partitions). */
  messagesIn: number;
  /** Messages per second published between the previous sample and this one (0 for the first). */
  rateIn: number;
  /** Bytes stored in BookKeeper, offloaded ledgers excluded. */
  storageBytes: number;
  /** Per subscription: its backlog in entries (a batch is one) and its dispatch rate (the broker's moving average). */
  subscriptions: Record<string, { backlog: number; rateOut: number }>;
}

export interface SampleRingLimits {
  /** Samples kept per stream: the oldest goes when one more arrives. */
  perStream: number;
  /** Streams kept: the one read least recently goes when one more arrives. */
  streams: number;
  /** A read within this many milliseconds of the last sample returns the series without sampling. */
  minIntervalMs: number;
}

export const SAMPLE_LIMITS: SampleRingLimits = { perStream: 300, streams: 500, minIntervalMs: 1000 };

/**
 * Bounded in-memory time series per stream, filled when read (no timer): the memory it may use is
 * perStream x streams samples whatever the traffic, and it costs nothing while nobody looks.
 */
export class SampleRing {
  private readonly series = new Map<string, StreamSample[]>();

  constructor(private readonly limits: SampleRingLimits = SAMPLE_LIMITS) {}

  /** Whether a new sample is due for the stream at `now`. */
  due(stream: string, now: number): boolean {
    const last = this.series.get(stream)?.at(-1);
    return last === undefined || now - last.at >= this.limits.minIntervalMs;
  }

  /** Adds a reading (its rate computed from the previous one) and returns the stream's series. */
  add(stream: string, reading: Omit<StreamSample, 'rateIn'>): StreamSample[] {
    const samples = this.touch(stream);
    const previous = samples.at(-1);
    const seconds = previous ? (reading.at - previous.at) / 1000 : 0;
    // A counter that went down was reset (the topic was unloaded): no rate from that pair.
    const delta = previous ? reading.messagesIn - previous.messagesIn : 0;
    const rateIn = seconds > 0 && delta >= 0 ? delta / seconds : 0;
    samples.push({ ...reading, rateIn });
    if (samples.length > this.limits.perStream) samples.splice(0, samples.length - this.limits.perStream);
    return [...samples];
  }

  read(stream: string): StreamSample[] {
    return [...this.touch(stream)];
  }

  forget(stream: string): void {
    this.series.delete(stream);
  }

  private touch(stream: string): StreamSample[] {
    const samples = this.series.get(stream) ?? [];
    // Re-inserted, so the Map's order is the order of last reads and the first key the one to evict.
    this.series.delete(stream);
    this.series.set(stream, samples);
    while (this.series.size > this.limits.streams) this.series.delete(this.series.keys().next().value!);
    return samples;
  }
}
