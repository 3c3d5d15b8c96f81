import type { ErrorProblem } from '@gyre/errors';
import { PipelineError } from '../errors';
import {
  DEFAULT_BATCH_MAX_WAIT_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRY_POLICY,
  MAX_ALLOWED_LATENESS_MS,
  PipelineDefinition,
  RetryPolicy,
  StageDefinition,
  StageDelivery,
  StageInitialPosition,
  StageSubscriptionType,
} from './pipeline-definition';

// Names end up in Pulsar topic and subscription names: keep to the characters both accept.
const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;
const NAME_RULE = 'must be 1-63 letters, digits, - _ . (starting with a letter or digit)';
// The pipeline's own name comes from the path or the body's `name`: its problem points at /name.
const NAME_POINTER = '/name';
const SUBSCRIPTION_TYPES: readonly StageSubscriptionType[] = ['Shared', 'Key_Shared'];
const INITIAL_POSITIONS: readonly StageInitialPosition[] = ['Latest', 'Earliest'];
const MAX_CONCURRENCY = 1000;
const MAX_ATTEMPTS = 100;
const MAX_BACKOFF_MS = 24 * 3_600_000;
const MAX_BATCH_SIZE = 10_000;
const MAX_BATCH_WAIT_MS = 60_000;
const DELIVERIES: readonly StageDelivery[] = ['at-least-once', 'exactly-once'];
const MIN_TRANSACTION_TIMEOUT_MS = 1000;
const MAX_TRANSACTION_TIMEOUT_MS = 3_600_000;

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

/**
 * Validates a pipeline definition as an admin endpoint receives it (JSON) and fills in defaults.
 * Throws INVALID_PIPELINE_DEFINITION listing every problem, each with its JSON pointer.
 */
export function parsePipelineDefinition(pipelineName: string, raw: unknown): PipelineDefinition {
  const problems: ErrorProblem[] = [];
  if (!isValidName(pipelineName)) problems.push({ pointer: NAME_POINTER, detail: NAME_RULE });
  const stagesRaw = isObject(raw) ? raw.stages : undefined;
  if (!Array.isArray(stagesRaw) || stagesRaw.length === 0) {
    problems.push({ pointer: '/stages', detail: 'must be a non-empty array' });
    throw invalid(pipelineName, problems);
  }
  const stages = stagesRaw.map((stage, index) =>
    parseStage(pipelineName, stage, `/stages/${index}`, problems),
  );
  const seen = new Set<string>();
  stages.forEach((stage, index) => {
    if (seen.has(stage.name))
      problems.push({ pointer: `/stages/${index}/name`, detail: `"${stage.name}" is used by another stage` });
    seen.add(stage.name);
  });
  if (problems.length > 0) throw invalid(pipelineName, problems);
  return { stages };
}

function parseStage(pipeline: string, raw: unknown, at: string, problems: ErrorProblem[]): StageDefinition {
  if (!isObject(raw)) {
    problems.push({ pointer: at, detail: 'must be an object' });
    return {} as StageDefinition;
  }
  const name = requireName(raw.name, `${at}/name`, problems);
  const input = isObject(raw.input) ? raw.input : {};
  if (!isObject(raw.input)) problems.push({ pointer: `${at}/input`, detail: 'must be an object' });
  const subscriptionType = input.subscriptionType ?? 'Shared';
  if (!SUBSCRIPTION_TYPES.includes(subscriptionType as StageSubscriptionType))
    problems.push({
      pointer: `${at}/input/subscriptionType`,
      detail: `must be one of ${SUBSCRIPTION_TYPES.join(', ')}`,
    });
  const initialPosition = input.initialPosition ?? 'Latest';
  if (!INITIAL_POSITIONS.includes(initialPosition as StageInitialPosition))
    problems.push({
      pointer: `${at}/input/initialPosition`,
      detail: `must be one of ${INITIAL_POSITIONS.join(', ')}`,
    });
  const outputs = Array.isArray(raw.outputs) ? raw.outputs : [];
  if (raw.outputs !== undefined && !Array.isArray(raw.outputs))
    problems.push({ pointer: `${at}/outputs`, detail: 'must be an array' });
  outputs.forEach((output, index) => requireName(output, `${at}/outputs/${index}`, problems));
  if (raw.handler === undefined || typeof raw.handler !== 'string' || raw.handler.trim() === '')
    problems.push({ pointer: `${at}/handler`, detail: 'must be a handler name' });
  if (raw.parameters !== undefined && !isObject(raw.parameters))
    problems.push({ pointer: `${at}/parameters`, detail: 'must be an object' });
  if (raw.deadLetterStream !== undefined)
    requireName(raw.deadLetterStream, `${at}/deadLetterStream`, problems);
  const batch = parseBatch(raw, at, problems);
  const delivery = parseDelivery(raw, at, problems);
  return {
    name,
    input: {
      stream: requireName(input.stream, `${at}/input/stream`, problems),
      // One subscription per pipeline stage by default: two pipelines reading a stream both get every event.
      subscription:
        input.subscription === undefined
          ? `${pipeline}.${name}`
          : requireName(input.subscription, `${at}/input/subscription`, problems),
      subscriptionType: subscriptionType as StageSubscriptionType,
      initialPosition: initialPosition as StageInitialPosition,
    },
    handler: String(raw.handler),
    outputs: outputs as string[],
    concurrency: integer(
      raw.concurrency,
      DEFAULT_CONCURRENCY,
      1,
      MAX_CONCURRENCY,
      `${at}/concurrency`,
      problems,
    ),
    retry: parseRetry(raw.retry, `${at}/retry`, problems),
    ...batch,
    ...(raw.allowedLatenessMs === undefined
      ? {}
      : {
          allowedLatenessMs: integer(
            raw.allowedLatenessMs,
            0,
            0,
            MAX_ALLOWED_LATENESS_MS,
            `${at}/allowedLatenessMs`,
            problems,
          ),
        }),
    ...delivery,
    ...(raw.deadLetterStream === undefined ? {} : { deadLetterStream: raw.deadLetterStream as string }),
    parameters: isObject(raw.parameters) ? raw.parameters : {},
  };
}

function parseBatch(
  raw: Record<string, unknown>,
  at: string,
  problems: ErrorProblem[],
): Pick<StageDefinition, 'batchSize' | 'batchMaxWaitMs'> {
  return {
    ...(raw.batchSize === undefined
      ? {}
      : { batchSize: integer(raw.batchSize, 1, 1, MAX_BATCH_SIZE, `${at}/batchSize`, problems) }),
    ...(raw.batchMaxWaitMs === undefined
      ? {}
      : {
          batchMaxWaitMs: integer(
            raw.batchMaxWaitMs,
            DEFAULT_BATCH_MAX_WAIT_MS,
            0,
            MAX_BATCH_WAIT_MS,
            `${at}/batchMaxWaitMs`,
            problems,
          ),
        }),
  };
}

function parseDelivery(
  raw: Record<string, unknown>,
  at: string,
  problems: ErrorProblem[],
): Pick<StageDefinition, 'delivery' | 'transactionTimeoutMs'> {
  if (raw.delivery !== undefined && !DELIVERIES.includes(raw.delivery as StageDelivery))
    problems.push({ pointer: `${at}/delivery`, detail: `must be one of ${DELIVERIES.join(', ')}` });
  if (raw.transactionTimeoutMs !== undefined && raw.delivery !== 'exactly-once')
    problems.push({ pointer: `${at}/transactionTimeoutMs`, detail: 'applies only to delivery exactly-once' });
  return {
    ...(raw.delivery === undefined ? {} : { delivery: raw.delivery as StageDelivery }),
    ...(raw.transactionTimeoutMs === undefined
      ? {}
      : {
          transactionTimeoutMs: integer(
            raw.transactionTimeoutMs,
            0,
            MIN_TRANSACTION_TIMEOUT_MS,
            MAX_TRANSACTION_TIMEOUT_MS,
            `${at}/transactionTimeoutMs`,
            problems,
          ),
        }),
  };
}

function parseRetry(raw: unknown, at: string, problems: ErrorProblem[]): RetryPolicy {
  if (raw === undefined) return { ...DEFAULT_RETRY_POLICY };
  if (!isObject(raw)) {
    problems.push({ pointer: at, detail: 'must be an object' });
    return { ...DEFAULT_RETRY_POLICY };
  }
  const d = DEFAULT_RETRY_POLICY;
  const policy = {
    maxAttempts: integer(raw.maxAttempts, d.maxAttempts, 1, MAX_ATTEMPTS, `${at}/maxAttempts`, problems),
    initialBackoffMs: integer(
      raw.initialBackoffMs,
      d.initialBackoffMs,
      0,
      MAX_BACKOFF_MS,
      `${at}/initialBackoffMs`,
      problems,
    ),
    maxBackoffMs: integer(
      raw.maxBackoffMs,
      d.maxBackoffMs,
      0,
      MAX_BACKOFF_MS,
      `${at}/maxBackoffMs`,
      problems,
    ),
    multiplier: number(raw.multiplier, d.multiplier, 1, 10, `${at}/multiplier`, problems),
  };
  if (policy.maxBackoffMs < policy.initialBackoffMs)
    problems.push({ pointer: `${at}/maxBackoffMs`, detail: 'must not be below initialBackoffMs' });
  return policy;
}

function requireName(value: unknown, at: string, problems: ErrorProblem[]): string {
  if (!isValidName(value)) problems.push({ pointer: at, detail: NAME_RULE });
  return String(value);
}

function integer(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  at: string,
  problems: ErrorProblem[],
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ pointer: at, detail: `must be an integer from ${min} to ${max}` });
    return fallback;
  }
  return value;
}

function number(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  at: string,
  problems: ErrorProblem[],
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push({ pointer: at, detail: `must be a number from ${min} to ${max}` });
    return fallback;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(pipeline: string, problems: ErrorProblem[]): PipelineError {
  return new PipelineError(
    'INVALID_PIPELINE_DEFINITION',
    `pipeline "${pipeline}" is invalid: ${problems.map(describe).join('; ')}`,
    { problems },
  );
}

/** "/stages/0/name must be ...", as the error's message has always listed problems. */
function describe({ pointer, detail }: ErrorProblem): string {
  return pointer === NAME_POINTER ? `pipeline name ${detail}` : `${pointer} ${detail}`;
}
