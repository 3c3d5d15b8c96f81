import type { StreamsErrorCode } from '@gyre/streams';
import { ADMIN_FAILED, ADMIN_UNAVAILABLE } from './adapter-problems';
import type { ProblemEntries } from './problem-entry';

/** One stable type URI, status and title per streams error code. */
export const STREAMS_PROBLEMS: ProblemEntries<StreamsErrorCode> = {
  STREAM_NOT_FOUND: { status: 404, slug: 'stream-not-found', title: 'Stream not found' },
  STREAM_EXISTS: { status: 409, slug: 'stream-exists', title: 'Stream already exists' },
  INVALID_STREAM_DEFINITION: {
    status: 422,
    slug: 'invalid-stream-definition',
    title: 'Invalid stream definition',
  },
  INVALID_SCHEMA: { status: 422, slug: 'invalid-schema', title: 'Invalid JSON Schema' },
  INCOMPATIBLE_SCHEMA: { status: 409, slug: 'incompatible-schema', title: 'Incompatible schema change' },
  DELETE_NOT_CONFIRMED: { status: 400, slug: 'delete-not-confirmed', title: 'Deletion not confirmed' },
  MALFORMED_EVENTS: { status: 400, slug: 'malformed-events', title: 'Malformed events' },
  INVALID_EVENTS: { status: 422, slug: 'invalid-events', title: 'Invalid events' },
  EVENT_TOO_LARGE: { status: 413, slug: 'event-too-large', title: 'Event too large' },
  PAYLOAD_TOO_DEEP: { status: 422, slug: 'payload-too-deep', title: 'Payload nested too deeply' },
  REQUEST_TOO_LARGE: { status: 413, slug: 'request-too-large', title: 'Request too large' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, slug: 'idempotency-key-reused', title: 'Idempotency key reused' },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    slug: 'idempotency-key-in-progress',
    title: 'Idempotent request in progress',
  },
  PUBLISH_UNAVAILABLE: { status: 503, slug: 'publish-unavailable', title: 'Publishing unavailable' },
  // Failures of Pulsar's admin API and S3 carry broker paths and internals: logged, not answered.
  PULSAR_ADMIN_FAILED: ADMIN_FAILED,
  PULSAR_ADMIN_UNAVAILABLE: ADMIN_UNAVAILABLE,
  INVALID_MESSAGE_ID: { status: 400, slug: 'invalid-message-id', title: 'Invalid message id' },
  INVALID_TIMESTAMP: { status: 400, slug: 'invalid-timestamp', title: 'Invalid timestamp' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, slug: 'subscription-not-found', title: 'Subscription not found' },
  SUBSCRIPTION_EXISTS: { status: 409, slug: 'subscription-exists', title: 'Subscription already exists' },
  DEAD_LETTER_TOPIC_NOT_FOUND: {
    status: 404,
    slug: 'dead-letter-topic-not-found',
    title: 'Dead-letter topic not found',
  },
  OPERATION_NOT_CONFIRMED: { status: 400, slug: 'operation-not-confirmed', title: 'Operation not confirmed' },
  OFFLOAD_IN_PROGRESS: { status: 409, slug: 'offload-in-progress', title: 'Offload already running' },
  INVALID_POLICY: { status: 422, slug: 'invalid-policy', title: 'Invalid policy' },
  TIERED_STORAGE_UNAVAILABLE: {
    status: 503,
    slug: 'tiered-storage-unavailable',
    title: 'Tiered-storage bucket unavailable',
    detail: 'The tiered-storage bucket could not be listed; retry later.',
  },
  INVALID_SUBSCRIPTION: { status: 400, slug: 'invalid-subscription', title: 'Invalid subscription name' },
  INVALID_LEASE_TOKEN: { status: 400, slug: 'invalid-lease-token', title: 'Invalid lease token' },
  LEASE_EXPIRED: { status: 410, slug: 'lease-expired', title: 'Lease expired' },
  LEASE_LIMIT_REACHED: { status: 429, slug: 'lease-limit-reached', title: 'Too many leased messages' },
  SUBSCRIPTION_SETTINGS_CONFLICT: {
    status: 409,
    slug: 'subscription-settings-conflict',
    title: 'Subscription consumed with other settings',
  },
  CONSUME_UNAVAILABLE: { status: 503, slug: 'consume-unavailable', title: 'Consuming unavailable' },
};
