import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { messagesOfEntry, PeekedMessage } from './peeked-messages';
import { adminCall } from './pulsar-call';
import { partitionTopic, StreamTopics } from './stream-topics';

/**
 * A stream's newest events, read through the admin API's examine (no subscription, nothing consumed):
 * per partition entry by entry from the newest, batches split, then merged newest first by publish time.
 */
@Injectable()
export class NewestEvents {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  async of(stream: string, count: number): Promise<PeekedMessage[]> {
    const { topic, partitions } = await this.topics.resolve(stream);
    // Examining before a partition's first stored entry is a broker error (500), not "no message": bounded.
    const stats = await adminCall(() => this.admin.partitionedInternalStats(topic));
    const perPartition = await Promise.all(
      Array.from({ length: partitions }, (_, partition) => {
        const name = partitionTopic(topic, partition);
        const stored = stats.partitions[name]?.numberOfEntries ?? 0;
        return this.newestOf(name, partition, count, stored);
      }),
    );
    // A stable sort: events of one partition published in the same millisecond keep their order.
    return perPartition
      .flat()
      .sort((a, b) => (b.publishTime ?? '').localeCompare(a.publishTime ?? ''))
      .slice(0, count);
  }

  private async newestOf(
    topic: string,
    partition: number,
    count: number,
    stored: number,
  ): Promise<PeekedMessage[]> {
    const messages: PeekedMessage[] = [];
    for (let n = 1; n <= stored && messages.length < count; n++) {
      const entry = await adminCall(() => this.admin.examineNewestEntry(topic, n));
      if (!entry) break;
      // A batch's messages come oldest first; newest first here.
      messages.push(...messagesOfEntry(entry, partition).reverse());
    }
    return messages.slice(0, count);
  }
}
