import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { adminCall } from '../operations/pulsar-call';
import { partitionTopic, StreamTopics } from '../operations/stream-topics';
import { storageReport, TierTotals } from './ledger-objects';
import { RefreshedCache, RefreshedCacheLimits } from './refreshed-cache';

/** A stream's bytes and ledgers per storage tier, as its partitions' internal stats list them. */
export interface StreamTierTotals {
  stream: string;
  /** Ledgers Pulsar has not offloaded (the open one included). */
  bookKeeper: TierTotals;
  /** Ledgers Pulsar marked offloaded (BookKeeper may still hold them during the offload deletion lag). */
  s3: TierTotals;
  /** When the partitions' stats were read (ISO 8601): totals are kept for up to TIER_LIMITS.maxAgeMs. */
  readAt: string;
}

export const TIER_LIMITS: RefreshedCacheLimits = { entries: 500, maxAgeMs: 10_000 };

/**
 * Storage per tier of every stream, cheap enough for the console's overview: each ledger's `offloaded` flag
 * and `size` from the partitions' internal stats (no bucket listing, no BookKeeper metadata), read at most
 * once per 10 s per stream and kept for up to 500 streams in this process.
 */
@Injectable()
export class StreamTiers {
  private readonly cache = new RefreshedCache<StreamTierTotals>(TIER_LIMITS);

  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  read(stream: string): Promise<StreamTierTotals> {
    return this.cache.get(stream, () => this.load(stream));
  }

  private async load(stream: string): Promise<StreamTierTotals> {
    const { topic, partitions } = await this.topics.resolve(stream);
    const readAt = new Date().toISOString();
    const stats = await Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const internal = await adminCall(() => this.admin.internalStats(partitionTopic(topic, partition)));
        return {
          partition,
          ledgers: internal.ledgers ?? [],
          currentLedgerSize: internal.currentLedgerSize ?? 0,
        };
      }),
    );
    // Without BookKeeper's metadata a ledger is in BookKeeper exactly while it is not offloaded.
    const report = storageReport(stats, new Map());
    return { stream, bookKeeper: report.bookKeeper, s3: report.offloaded, readAt };
  }
}
