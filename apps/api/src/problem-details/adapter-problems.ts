import type { MlErrorCode } from '@gyre/ml';
import type { PulsarErrorCode } from '@gyre/pulsar';
import type { PulsarAdminErrorCode } from '@gyre/pulsar-admin';
import type { DatasetErrorCode, StorageErrorCode } from '@gyre/storage';
import type { ProblemEntries, ProblemEntry } from './problem-entry';

// The errors below usually reach a request wrapped in a domain error; when one escapes as itself it still
// gets an answer that says what failed: an outage is 503 (Retry-After when retriable), a refusal upstream
// 502. Their messages carry broker paths, buckets and keys, so the answer's detail is fixed.

const PULSAR_UNAVAILABLE: ProblemEntry = {
  status: 503,
  slug: 'pulsar-unavailable',
  title: 'Pulsar unavailable',
  detail: 'Pulsar is unreachable or slow; nothing may have been done. Retry later.',
};
const PULSAR_FAILED: ProblemEntry = {
  status: 502,
  slug: 'pulsar-failed',
  title: 'Pulsar refused the request',
  detail: 'Pulsar refused or failed the request; it has been logged.',
};
/** A wrong call into the client (a bad argument, an unsupported feature): a bug in Gyre, answered as one. */
const CLIENT_BUG: ProblemEntry = {
  status: 500,
  slug: 'internal-server-error',
  title: 'Internal Server Error',
  detail: 'An unexpected error occurred; it has been logged.',
};

/** Gyre's Pulsar client (libs/pulsar stands alone: its codes are mapped here, not there). */
export const PULSAR_PROBLEMS: ProblemEntries<PulsarErrorCode> = {
  CONNECTION_CLOSED: PULSAR_UNAVAILABLE,
  CONNECTION_FAILED: PULSAR_UNAVAILABLE,
  TIMEOUT: PULSAR_UNAVAILABLE,
  SEND_TIMEOUT: PULSAR_UNAVAILABLE,
  PRODUCER_QUEUE_FULL: PULSAR_UNAVAILABLE,
  LOOKUP_FAILED: PULSAR_UNAVAILABLE,
  TOO_MANY_REDIRECTS: PULSAR_UNAVAILABLE,
  // A closed client or producer: this instance is shutting down; another one can serve the retry.
  ALREADY_CLOSED: PULSAR_UNAVAILABLE,
  TLS_ERROR: PULSAR_FAILED,
  PROTOCOL_ERROR: PULSAR_FAILED,
  CHECKSUM_MISMATCH: PULSAR_FAILED,
  FRAME_TOO_LARGE: PULSAR_FAILED,
  COMPRESSION_ERROR: PULSAR_FAILED,
  BROKER_ERROR: PULSAR_FAILED,
  TRANSACTION_FAILED: PULSAR_FAILED,
  MESSAGE_TOO_LARGE: { status: 413, slug: 'message-too-large', title: 'Message too large for Pulsar' },
  INVALID_ARGUMENT: CLIENT_BUG,
  NOT_SUPPORTED: CLIENT_BUG,
};

export const ADMIN_UNAVAILABLE: ProblemEntry = {
  status: 503,
  slug: 'pulsar-admin-unavailable',
  title: 'Pulsar admin API unavailable',
  detail: "Pulsar's admin API is unreachable or slow; retry later.",
};
export const ADMIN_FAILED: ProblemEntry = {
  status: 502,
  slug: 'pulsar-admin-failed',
  title: 'Pulsar admin API failed',
  detail: 'Pulsar did not complete the request; retry later.',
};

/** The same entries answer the streams domain's PULSAR_ADMIN_UNAVAILABLE and PULSAR_ADMIN_FAILED. */
export const PULSAR_ADMIN_PROBLEMS: ProblemEntries<PulsarAdminErrorCode> = {
  unreachable: ADMIN_UNAVAILABLE,
  timeout: ADMIN_UNAVAILABLE,
  'server-error': ADMIN_FAILED,
  'not-found': ADMIN_FAILED,
  conflict: ADMIN_FAILED,
  rejected: ADMIN_FAILED,
};

const STORAGE_UNAVAILABLE: ProblemEntry = {
  status: 503,
  slug: 'storage-unavailable',
  title: 'Object storage unavailable',
  detail: 'Object storage is unreachable or throttling; retry later.',
};
const STORAGE_FAILED: ProblemEntry = {
  status: 502,
  slug: 'storage-failed',
  title: 'Object storage refused the request',
  detail: 'Object storage refused or failed the request; it has been logged.',
};

export const STORAGE_PROBLEMS: ProblemEntries<StorageErrorCode> = {
  THROTTLED: STORAGE_UNAVAILABLE,
  UNAVAILABLE: STORAGE_UNAVAILABLE,
  NOT_FOUND: {
    status: 404,
    slug: 'storage-object-not-found',
    title: 'Stored object not found',
    detail: 'The object is not in storage.',
  },
  NOT_AN_ARTIFACT: {
    status: 422,
    slug: 'not-an-artifact',
    title: 'Not a dataset or model artifact',
    detail: "The uri must be s3://<bucket>/<key> in Gyre's datasets or models bucket.",
  },
  BUCKET_NOT_FOUND: STORAGE_FAILED,
  ACCESS_DENIED: STORAGE_FAILED,
  INVALID_RANGE: STORAGE_FAILED,
  INVALID_REQUEST: STORAGE_FAILED,
  UNKNOWN: STORAGE_FAILED,
};

const INVALID_DATASET: ProblemEntry = {
  status: 422,
  slug: 'invalid-dataset',
  title: 'Dataset does not fit its schema',
};
const DATASET_UNREADABLE: ProblemEntry = {
  status: 502,
  slug: 'dataset-unreadable',
  title: 'Stored dataset unreadable',
  detail: 'A stored dataset part does not match its manifest; it has been logged.',
};

export const DATASET_PROBLEMS: ProblemEntries<DatasetErrorCode> = {
  INVALID_SCHEMA: INVALID_DATASET,
  INVALID_ROW: INVALID_DATASET,
  SCHEMA_MISMATCH: INVALID_DATASET,
  CHECKSUM_MISMATCH: DATASET_UNREADABLE,
  UNREADABLE: DATASET_UNREADABLE,
};

const INVALID_ML_INPUT: ProblemEntry = {
  status: 422,
  slug: 'invalid-ml-input',
  title: 'Invalid model input',
};
const FEATURE_NOT_FOUND: ProblemEntry = {
  status: 404,
  slug: 'feature-not-found',
  title: 'Feature not found',
};
const ARTIFACT_UNREADABLE: ProblemEntry = {
  status: 502,
  slug: 'model-artifact-unreadable',
  title: 'Model artifact unreadable',
  detail: 'The stored model artifact could not be loaded; it has been logged.',
};
const INFERENCE_UNAVAILABLE: ProblemEntry = {
  status: 503,
  slug: 'inference-unavailable',
  title: 'Inference unavailable',
  detail: 'The model server is unreachable or slow; retry later.',
};
const INFERENCE_FAILED: ProblemEntry = {
  status: 502,
  slug: 'inference-failed',
  title: 'Model server refused the request',
  detail: 'The model server refused or garbled the inference; it has been logged.',
};

export const ML_PROBLEMS: ProblemEntries<MlErrorCode> = {
  INVALID_ARGUMENT: INVALID_ML_INPUT,
  INVALID_FEATURE_STATE: INVALID_ML_INPUT,
  FEATURE_DEFINITION_MISMATCH: INVALID_ML_INPUT,
  INVALID_TRAINING_DATA: INVALID_ML_INPUT,
  UNKNOWN_FEATURE: FEATURE_NOT_FOUND,
  UNKNOWN_FEATURE_DEFINITION: FEATURE_NOT_FOUND,
  INVALID_ARTIFACT: ARTIFACT_UNREADABLE,
  UNSUPPORTED_ARTIFACT_FORMAT: ARTIFACT_UNREADABLE,
  ARTIFACT_CHECKSUM_MISMATCH: ARTIFACT_UNREADABLE,
  INFERENCE_TIMEOUT: INFERENCE_UNAVAILABLE,
  INFERENCE_UNAVAILABLE: INFERENCE_UNAVAILABLE,
  INFERENCE_REJECTED: INFERENCE_FAILED,
  INFERENCE_PROTOCOL_ERROR: INFERENCE_FAILED,
  INVALID_MONITORING_THRESHOLDS: {
    status: 422,
    slug: 'invalid-monitoring-thresholds',
    title: 'Invalid monitoring thresholds',
  },
  // A model loop's admin reads (monitoring, epochs, lineage) with a missing or malformed query or path parameter.
  INVALID_LOOP_QUERY: { status: 400, slug: 'invalid-loop-query', title: 'Invalid loop query' },
  UNKNOWN_MODEL_VERSION: { status: 404, slug: 'model-version-not-found', title: 'Model version not found' },
  // A promotion or rollback that the versions' current roles do not allow (e.g. promoting a retired version).
  MODEL_ROLE_CONFLICT: { status: 409, slug: 'model-role-conflict', title: 'Model role change not allowed' },
};

/** Settings are checked at boot; met during a request, the instance cannot serve until it is fixed. */
export const CONFIG_PROBLEMS: ProblemEntries<'CONFIGURATION_INVALID'> = {
  CONFIGURATION_INVALID: {
    status: 503,
    slug: 'configuration-invalid',
    title: 'Server misconfigured',
    detail: "The server's configuration is invalid; it has been logged.",
  },
};
