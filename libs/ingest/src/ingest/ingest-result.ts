/** The outcome of one event of an accepted request. */
export interface PublishedEvent {
  index: number;
  /** Pulsar's message id in its opaque (base64url) form; null if the broker reported only "duplicate". */
  messageId: string | null;
  id?: string;
  /** True when the event id had been published within the window: this request did not publish it again. */
  duplicate: boolean;
}

/** The 202 body of POST /v1/streams/{stream}/events; stored as-is for Idempotency-Key replays. */
export interface IngestResult {
  stream: string;
  events: PublishedEvent[];
}

/** What is remembered of one event id. */
export interface StoredEventResult {
  messageId: string | null;
}
