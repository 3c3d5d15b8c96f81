import { Batcher, BatchLimits } from './batch-container';
import { QueuedMessage } from './entry-encoder';
import type { ProducerMessage } from './options';

/** The key Key_Shared dispatches on: the ordering key if set, else the partition key, else none. */
function batchKey(message: ProducerMessage): string {
  if (message.orderingKey !== undefined) return `o:${message.orderingKey}`;
  if (message.partitionKey !== undefined) return `k:${message.partitionKey}`;
  return '';
}

/**
 * Key-based batching (the Java client's BatcherBuilder.KEY_BASED): one open batch per key, so each entry
 * holds one key and Key_Shared subscriptions route and order it per key. The limits apply to all keys
 * together; when one is reached every key's batch is sealed, in the order the keys first arrived.
 */
export class KeyBasedBatchContainer implements Batcher {
  private batches = new Map<string, QueuedMessage[]>();
  private count = 0;
  private bytes = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limits: BatchLimits,
    private readonly seal: (batch: QueuedMessage[]) => void,
  ) {}

  get length(): number {
    return this.count;
  }

  add(queued: QueuedMessage): void {
    const size = queued.message.data.length;
    if (this.bytes + size > this.limits.batchingMaxAllowedSizeInBytes) this.flush();
    const key = batchKey(queued.message);
    const batch = this.batches.get(key);
    if (batch) batch.push(queued);
    else this.batches.set(key, [queued]);
    this.count++;
    this.bytes += size;
    if (this.count >= this.limits.batchingMaxMessages) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.limits.batchingMaxPublishDelayMs);
  }

  flush(): void {
    if (this.count === 0) return;
    const batches = this.reset();
    for (const batch of batches.values()) this.seal(batch);
  }

  takeAll(): QueuedMessage[] {
    return [...this.reset().values()].flat();
  }

  private reset(): Map<string, QueuedMessage[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.batches;
    this.batches = new Map();
    this.count = 0;
    this.bytes = 0;
    return batches;
  }
}
