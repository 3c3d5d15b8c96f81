import { InvalidArgumentError } from '../errors';

/** What a router learns of the topic, as the official client's TopicMetadata. */
export interface TopicMetadata {
  numPartitions: number;
}

/** The fields of a OutgoingMessage a router can read (kept here so options.ts can name the router). */
interface OutgoingMessage {
  data: Buffer;
  properties?: Record<string, string>;
  partitionKey?: string;
  orderingKey?: string;
  eventTimestamp?: number;
}

/**
 * The message as a router sees it: the official client hands its Message, so the getters a router can
 * use before the message is stored are the same ones (no id, topic or publish time yet).
 */
export class RoutedMessage {
  constructor(private readonly message: OutgoingMessage) {}

  getData(): Buffer {
    return this.message.data;
  }

  getProperties(): Record<string, string> {
    return this.message.properties ?? {};
  }

  /** `''` when the message has no key, as the official client. */
  getPartitionKey(): string {
    return this.message.partitionKey ?? '';
  }

  /** Not in the official Node client (Java's hasKey()): whether the message has a key. */
  hasPartitionKey(): boolean {
    return this.message.partitionKey !== undefined;
  }

  getOrderingKey(): Buffer | undefined {
    return this.message.orderingKey === undefined ? undefined : Buffer.from(this.message.orderingKey);
  }

  /** 0 when the message has no event time. */
  getEventTimestamp(): number {
    return this.message.eventTimestamp ?? 0;
  }
}

/** The official producer option `messageRouter`: picks a partition index in [0, numPartitions). */
export type MessageRouter = (message: RoutedMessage, topicMetadata: TopicMetadata) => number;

/**
 * Asks the application's router where a message goes, as the official clients do in CustomPartition
 * mode; an index outside the topic's partitions fails that send rather than picking one silently.
 */
export function routeMessage(router: MessageRouter, message: OutgoingMessage, numPartitions: number): number {
  const partition = router(new RoutedMessage(message), { numPartitions });
  if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions)
    throw new InvalidArgumentError(
      `Illegal partition index chosen by the message routing policy: ${String(partition)} ` +
        `(the topic has ${numPartitions} partitions)`,
    );
  return partition;
}
