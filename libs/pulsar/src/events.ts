import { EventEmitter } from 'node:events';

/** What the client reports; apps turn these into metrics and structured logs (payloads are never included). */
export interface ClientEvents {
  connectionOpened: { url: string; physicalUrl: string; serverVersion: string; protocolVersion: number };
  connectionClosed: { url: string; physicalUrl: string; error?: Error };
  reconnecting: {
    kind: 'producer' | 'consumer';
    topic: string;
    attempt: number;
    delayMs: number;
    error: Error;
  };
  reconnected: { kind: 'producer' | 'consumer'; topic: string; attempt: number };
  sendError: { topic: string; producerName: string; sequenceId: number; error: Error };
  messageDiscarded: {
    topic: string;
    subscription: string;
    /** chunk*: chunks of an incomplete chunked message dropped (see consumer/chunk-assembler.ts). */
    reason:
      | 'checksum'
      | 'corrupt'
      | 'deadLetter'
      | 'chunkQueueFull'
      | 'chunkExpired'
      | 'chunkOutOfOrder'
      | 'chunkDuplicate';
    error?: Error;
  };
  protocolError: { url: string; error: Error };
  /** A broker answered a topic lookup with a redirect to another broker (`authoritative`: the next ask is). */
  lookupRedirected: { topic: string; from: string; to: string; authoritative: boolean };
  /** serviceUrlProvider moved the client to another cluster (connections closed, lookups go there now). */
  clusterSwitched: { from: string; to: string };
  /** A topicsPattern consumer's periodic check found topics to add or remove, or failed (then retried). */
  patternDiscovery: { pattern: string; added: string[]; removed: string[]; error?: Error };
}

export type ClientEventName = keyof ClientEvents;

/**
 * A typed emitter whose payloads are built only when someone listens, so an unobserved client pays
 * one listener-count check per event.
 */
export class Instrumentation {
  private readonly emitter = new EventEmitter();

  on<K extends ClientEventName>(name: K, listener: (event: ClientEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  emit<K extends ClientEventName>(name: K, build: () => ClientEvents[K]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    this.emitter.emit(name, build());
  }
}
