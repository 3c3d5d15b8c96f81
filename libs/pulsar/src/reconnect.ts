import { BrokerError } from './errors';
import { ClientContext } from './client-context';
import { Backoff } from './retry';

export interface ReconnectOptions {
  kind: 'producer' | 'consumer';
  topic: string;
  /** Keep trying while this holds (the wrapper is still disconnected and not closed). */
  stillWanted(): boolean;
  /** One attempt: look the topic up again and re-register (at `assignedUrl` first, if the broker named one). */
  attempt(assignedUrl?: string): Promise<void>;
  /** Broker errors that retrying cannot fix. */
  fatalErrors: ReadonlySet<string>;
  /** Called once with the fatal error; the loop then stops. */
  onFatal(error: BrokerError): void;
}

/**
 * The reconnect loop shared by partition producers and consumers: jittered exponential backoff, a
 * `reconnecting` event before each attempt and `reconnected` after success, stop on a fatal broker error.
 */
export async function reconnectWithBackoff(
  client: ClientContext,
  options: ReconnectOptions,
  cause: Error,
  assignedUrl?: string,
): Promise<void> {
  const { kind, topic } = options;
  const backoff = new Backoff(client.backoff);
  for (let attempt = 1; options.stillWanted(); attempt++) {
    const delayMs = backoff.nextDelay();
    const error = cause;
    client.instrumentation.emit('reconnecting', () => ({ kind, topic, attempt, delayMs, error }));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (!options.stillWanted()) return;
    try {
      await options.attempt(assignedUrl);
      client.instrumentation.emit('reconnected', () => ({ kind, topic, attempt }));
      return;
    } catch (failure) {
      assignedUrl = undefined;
      cause = failure as Error;
      if (failure instanceof BrokerError && options.fatalErrors.has(failure.serverError)) {
        options.onFatal(failure);
        return;
      }
    }
  }
}
