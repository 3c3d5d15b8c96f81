import { readTimestamp } from '@gyre/streams';
import { invalidReplay, ReplayProblem } from '../errors';
import type { ReplayEnd, ReplayFilter, ReplayRequest, ReplayStart, ReplayTarget } from './replay-spec';

const TARGET_KINDS = ['stream', 'pipelineStage', 'datasetExport'] as const;
/** A dataset name is an S3 key prefix: no leading, trailing or doubled slash. */
const DATASET_NAME = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * Reads a POST /admin/replays body into a ReplayRequest, naming every problem by JSON pointer.
 * Positions that need the stream (message ids, partitions) are checked by ReplayService.
 */
export function parseReplayRequest(body: unknown): ReplayRequest {
  const problems: ReplayProblem[] = [];
  const at = (pointer: string, detail: string) => problems.push({ pointer, detail });
  if (!isObject(body)) throw invalidReplay([{ pointer: '', detail: 'must be a JSON object' }]);
  const known = ['source', 'start', 'end', 'filter', 'target', 'rateLimit'];
  for (const name of Object.keys(body)) if (!known.includes(name)) at(`/${name}`, 'is not a known field');
  if (typeof body.source !== 'string' || body.source.trim() === '') at('/source', 'must name a stream');
  const start = position(body.start ?? 'earliest', '/start', 'earliest', at) as ReplayStart | undefined;
  const end = position(body.end ?? 'lastAtStart', '/end', 'lastAtStart', at) as ReplayEnd | undefined;
  const filter = body.filter === undefined ? undefined : parseFilter(body.filter, at);
  const target = parseTarget(body.target, at);
  let rateLimitPerSecond: number | undefined;
  if (body.rateLimit !== undefined) {
    const perSecond = isObject(body.rateLimit) ? body.rateLimit.eventsPerSecond : undefined;
    if (
      typeof perSecond !== 'number' ||
      !Number.isInteger(perSecond) ||
      perSecond < 1 ||
      perSecond > 1_000_000
    )
      at('/rateLimit/eventsPerSecond', 'must be an integer from 1 to 1000000');
    else rateLimitPerSecond = perSecond;
  }
  if (start?.kind === 'timestamp' && end?.kind === 'timestamp' && end.timestamp < start.timestamp)
    at('/end/timestamp', 'must not be before /start/timestamp');
  if (problems.length > 0 || !start || !end || !target) throw invalidReplay(problems);
  return {
    source: (body.source as string).trim(),
    start,
    end,
    target,
    ...(filter ? { filter } : {}),
    ...(rateLimitPerSecond ? { rateLimitPerSecond } : {}),
  };
}

function position(
  value: unknown,
  pointer: string,
  keyword: 'earliest' | 'lastAtStart',
  at: (pointer: string, detail: string) => void,
): ReplayStart | ReplayEnd | undefined {
  if (value === keyword) return { kind: keyword } as ReplayStart | ReplayEnd;
  const expected = `must be "${keyword}", {"timestamp": ...}, {"messageId": ...} or {"messageIds": [...]}`;
  if (!isObject(value) || Object.keys(value).length !== 1) return void at(pointer, expected);
  if ('timestamp' in value) {
    const timestamp = readTimestamp(value.timestamp);
    if (timestamp === undefined)
      return void at(`${pointer}/timestamp`, 'must be an RFC 3339 date-time or epoch milliseconds');
    return { kind: 'timestamp', timestamp };
  }
  const ids = 'messageId' in value ? [value.messageId] : 'messageIds' in value ? value.messageIds : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id.trim() === ''))
    return void at(pointer, expected);
  return { kind: 'messageIds', messageIds: ids as string[] };
}

function parseFilter(
  value: unknown,
  at: (pointer: string, detail: string) => void,
): ReplayFilter | undefined {
  if (!isObject(value)) return void at('/filter', 'must be an object with key and/or properties');
  const filter: ReplayFilter = {};
  for (const name of Object.keys(value))
    if (name !== 'key' && name !== 'properties') at(`/filter/${name}`, 'is not a known field');
  if (value.key !== undefined) {
    const key = value.key;
    if (isObject(key) && Object.keys(key).length === 1 && typeof key.equals === 'string')
      filter.key = { equals: key.equals };
    else if (
      isObject(key) &&
      Object.keys(key).length === 1 &&
      typeof key.prefix === 'string' &&
      key.prefix !== ''
    )
      filter.key = { prefix: key.prefix };
    else at('/filter/key', 'must be {"equals": "<key>"} or {"prefix": "<non-empty prefix>"}');
  }
  if (value.properties !== undefined) {
    const properties = value.properties;
    if (!isObject(properties) || Object.values(properties).some((v) => typeof v !== 'string'))
      at('/filter/properties', 'must be an object of string values');
    else filter.properties = properties as Record<string, string>;
  }
  return filter;
}

function parseTarget(
  value: unknown,
  at: (pointer: string, detail: string) => void,
): ReplayTarget | undefined {
  if (!isObject(value) || !TARGET_KINDS.includes(value.kind as (typeof TARGET_KINDS)[number]))
    return void at('/target/kind', `must be one of ${TARGET_KINDS.join(', ')}`);
  const text = (name: string): string | undefined => {
    const field = value[name];
    if (typeof field === 'string' && field.trim() !== '') return field.trim();
    at(`/target/${name}`, 'must be a non-empty string');
    return undefined;
  };
  if (value.kind === 'stream') {
    const stream = text('stream');
    return stream ? { kind: 'stream', stream } : undefined;
  }
  if (value.kind === 'pipelineStage') {
    for (const name of Object.keys(value))
      if (!['kind', 'pipeline', 'stage', 'featureDefinition', 'output'].includes(name))
        at(`/target/${name}`, 'is not a known field');
    const [pipeline, stage] = [text('pipeline'), text('stage')];
    const featureDefinition = text('featureDefinition');
    const output = value.output === undefined ? undefined : text('output');
    return pipeline && stage && featureDefinition
      ? { kind: 'pipelineStage', pipeline, stage, featureDefinition, ...(output ? { output } : {}) }
      : undefined;
  }
  const dataset = text('dataset');
  if (dataset && !DATASET_NAME.test(dataset))
    return void at('/target/dataset', 'must be lowercase letters, digits, ".", "_", "-" and "/" (1-200)');
  return dataset ? { kind: 'datasetExport', dataset } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
