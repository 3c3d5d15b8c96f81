import { InvalidRequestException } from '../problem-details/problem-details';

/** Bodies of the operators' endpoints, checked at the edge (400 invalid-request naming each field). */
export const CREATE_SUBSCRIPTION_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    at: { enum: ['earliest', 'latest'] },
    messageId: { type: 'string', minLength: 1, maxLength: 200 },
  },
  not: { required: ['at', 'messageId'] },
};

export const RESET_CURSOR_BODY = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['timestamp'] }, { required: ['messageId'] }],
  properties: {
    timestamp: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    messageId: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

export const SKIP_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['count'],
  properties: {
    count: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    partition: { type: 'integer', minimum: 0 },
  },
};

export const REDRIVE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    messageIds: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1 } },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
  },
};

const RETENTION = {
  type: 'object',
  additionalProperties: false,
  required: ['minutes', 'sizeMb'],
  properties: { minutes: { type: 'integer', minimum: -1 }, sizeMb: { type: 'integer', minimum: -1 } },
};

export const STREAM_STORAGE_POLICIES_BODY = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    retention: { oneOf: [RETENTION, { type: 'null' }] },
    offloadThresholdBytes: { anyOf: [{ type: 'integer', minimum: -1 }, { type: 'null' }] },
    offloadDeletionLagMs: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] },
  },
};

export const NAMESPACE_POLICIES_BODY = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    retention: RETENTION,
    offloadThresholdBytes: { type: 'integer', minimum: -1 },
    offloadDeletionLagMs: { type: 'integer', minimum: 0 },
    deduplication: { type: 'boolean' },
  },
};

/** An optional integer query parameter within bounds; anything else is 400 invalid-request. */
export function intQuery(
  value: string | undefined,
  name: string,
  bounds: { min: number; max: number; fallback?: number },
): number | undefined {
  if (value === undefined || value === '') return bounds.fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < bounds.min || parsed > bounds.max)
    throw new InvalidRequestException(
      'invalid-request',
      400,
      `${name} must be an integer from ${bounds.min} to ${bounds.max}`,
      [{ pointer: `/query/${name}`, detail: `must be ${bounds.min} to ${bounds.max}` }],
    );
  return parsed;
}
