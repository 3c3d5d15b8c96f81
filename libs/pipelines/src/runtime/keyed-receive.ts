import { Consumer, Message, PulsarClientError } from '@gyre/pulsar';
import { KeyQueue } from './key-queue';
import { describeFailure } from './message-codec';
import { pause } from './timing';

/** What the Key_Shared receive loop needs from its stage runner. */
export interface KeyedReceiveHost {
  consumer: Consumer;
  running(): boolean;
  /** Aborted when the drain starts: the loop returns at once. */
  stopping: AbortSignal;
  concurrency: number;
  batchSize: number;
  batchMaxWaitMs: number;
  /** Batches being settled now. */
  inFlight(): number;
  /** Settles a batch; resolves once it is settled (never rejects). */
  dispatch(batch: Message[]): Promise<void>;
  warn(fields: Record<string, unknown>): void;
}

// receive() wakes this often to notice a drain.
const RECEIVE_POLL_MS = 250;

type Received = { message: Message } | { error: unknown };

/**
 * The receive loop of a Key_Shared stage: events go through a KeyQueue, and a batch of ready events
 * starts as soon as a slot is free and it is full, or batchMaxWaitMs after its first event became ready.
 * Events of keys in flight wait for their key, not for a whole batch, so batches grow while the stage is
 * busy and never queue behind each other. At most concurrency x batchSize events are held here.
 * Events still queued when the drain starts stay unacked: the broker redelivers them once the consumer closes.
 */
export async function runKeyedReceive(host: KeyedReceiveHost): Promise<void> {
  const queue = new KeyQueue<Message>((message) => message.getPartitionKey());
  const capacity = host.concurrency * host.batchSize;
  let readySince = 0;
  let wake: (() => void) | undefined;
  const onStop = () => wake?.();
  host.stopping.addEventListener('abort', onStop, { once: true });
  let receiving: Promise<Received> | undefined;
  try {
    while (host.running()) {
      if (queue.readyCount > 0 && host.inFlight() < host.concurrency) {
        const waitMs = readySince + host.batchMaxWaitMs - performance.now();
        if (queue.readyCount >= host.batchSize || waitMs <= 0 || queue.size >= capacity) {
          const batch = queue.take(host.batchSize);
          void host.dispatch(batch).then(() => {
            // Held events come out older than anything ready: they go without a further wait.
            if (queue.release(batch) > 0) readySince = -Infinity;
            wake?.();
          });
          continue;
        }
      }
      // Wait for the first of: an event (when there is room), a batch settled, the batch wait over, the drain.
      if (!receiving && queue.size < capacity)
        receiving = host.consumer.receive(RECEIVE_POLL_MS).then(
          (message) => ({ message }),
          (error: unknown) => ({ error }),
        );
      let timer: NodeJS.Timeout | undefined;
      const woken = new Promise<undefined>((resolve) => {
        wake = () => resolve(undefined);
        if (queue.readyCount > 0 && host.inFlight() < host.concurrency)
          timer = setTimeout(wake, Math.max(0, readySince + host.batchMaxWaitMs - performance.now()));
      });
      const received = await (receiving ? Promise.race([receiving, woken]) : woken);
      clearTimeout(timer);
      wake = undefined;
      if (received === undefined) continue;
      receiving = undefined;
      // Stopped while waiting: leave it unacked, the broker redelivers it once this consumer closes.
      if (!host.running()) break;
      if ('message' in received) {
        const hadReady = queue.readyCount > 0;
        queue.add(received.message);
        if (!hadReady && queue.readyCount > 0) readySince = performance.now();
        continue;
      }
      const { error } = received;
      if (error instanceof PulsarClientError && error.code === 'TIMEOUT') continue;
      if (!host.running()) break;
      host.warn({ msg: 'stage receive failed; retrying', reason: describeFailure(error).text });
      await pause(RECEIVE_POLL_MS, host.stopping);
    }
  } finally {
    host.stopping.removeEventListener('abort', onStop);
  }
}
