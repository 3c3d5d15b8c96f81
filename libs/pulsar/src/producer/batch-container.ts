import { QueuedMessage } from './entry-encoder';

export interface BatchLimits {
  batchingMaxMessages: number;
  batchingMaxAllowedSizeInBytes: number;
  batchingMaxPublishDelayMs: number;
}

/** What a partition producer batches into: the default container or the key-based one. */
export interface Batcher {
  readonly length: number;
  add(queued: QueuedMessage): void;
  /** Seals the open batch(es) now (if any). */
  flush(): void;
  /** Empties the container without sealing: for failing what it holds. */
  takeAll(): QueuedMessage[];
}

/**
 * The open batch of a partition producer: collects messages until the message count, byte size or delay
 * limit is reached, then hands the batch to `seal`.
 */
export class BatchContainer implements Batcher {
  private messages: QueuedMessage[] = [];
  private bytes = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limits: BatchLimits,
    private readonly seal: (batch: QueuedMessage[]) => void,
  ) {}

  get length(): number {
    return this.messages.length;
  }

  add(queued: QueuedMessage): void {
    const size = queued.message.data.length;
    if (this.bytes + size > this.limits.batchingMaxAllowedSizeInBytes) this.flush();
    this.messages.push(queued);
    this.bytes += size;
    if (this.messages.length >= this.limits.batchingMaxMessages) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.limits.batchingMaxPublishDelayMs);
  }

  /** Seals the open batch now (if any). */
  flush(): void {
    if (this.messages.length === 0) return;
    const batch = this.takeAll();
    if (batch.length > 0) this.seal(batch);
  }

  /** Empties the container without sealing: for failing what it holds. */
  takeAll(): QueuedMessage[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.messages;
    this.messages = [];
    this.bytes = 0;
    return batch;
  }
}
