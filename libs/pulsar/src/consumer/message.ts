import { MessageId } from '../codec/message-id';

export interface MessageFields {
  topic: string;
  id: MessageId;
  data: Buffer;
  properties: Record<string, string>;
  publishTimestamp: number;
  eventTimestamp: number;
  redeliveryCount: number;
  partitionKey?: string;
  orderingKey?: Buffer;
  producerName: string;
  sequenceId: number;
  nullValue: boolean;
}

/** A received message; the getters mirror the official Node client's Message. */
export class Message {
  constructor(private readonly fields: MessageFields) {}

  getTopicName(): string {
    return this.fields.topic;
  }

  getMessageId(): MessageId {
    return this.fields.id;
  }

  getData(): Buffer {
    return this.fields.data;
  }

  getProperties(): Record<string, string> {
    return this.fields.properties;
  }

  getPublishTimestamp(): number {
    return this.fields.publishTimestamp;
  }

  /** 0 when the producer set none. */
  getEventTimestamp(): number {
    return this.fields.eventTimestamp;
  }

  /** Tracked by the broker for Shared and Key_Shared subscriptions only (0 otherwise). */
  getRedeliveryCount(): number {
    return this.fields.redeliveryCount;
  }

  /** `''` when the message has no key, as the official client; {@link hasPartitionKey} tells them apart. */
  getPartitionKey(): string {
    return this.fields.partitionKey ?? '';
  }

  /** Not in the official Node client (Java's hasKey()): whether the producer set a key. */
  hasPartitionKey(): boolean {
    return this.fields.partitionKey !== undefined;
  }

  getOrderingKey(): Buffer | undefined {
    return this.fields.orderingKey;
  }

  getProducerName(): string {
    return this.fields.producerName;
  }

  getSequenceId(): number {
    return this.fields.sequenceId;
  }

  /** A tombstone: the producer sent a null value. */
  isNullValue(): boolean {
    return this.fields.nullValue;
  }
}
