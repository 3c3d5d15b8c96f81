import { ReplayError } from '../errors';
import { parseReplayRequest } from './parse-replay-request';

const target = { kind: 'stream', stream: 'clicks-copy' };

function problemsOf(body: unknown): string[] {
  try {
    parseReplayRequest(body);
  } catch (error) {
    return (error as ReplayError).problems.map((problem) => problem.pointer);
  }
  return [];
}

describe(parseReplayRequest.name, () => {
  it('defaults to the whole history up to the last message at start, unfiltered and unthrottled', () => {
    expect(parseReplayRequest({ source: 'clicks', target })).toEqual({
      source: 'clicks',
      start: { kind: 'earliest' },
      end: { kind: 'lastAtStart' },
      target: { kind: 'stream', stream: 'clicks-copy' },
    });
  });

  it('reads timestamps, message ids, filters and a rate limit', () => {
    expect(
      parseReplayRequest({
        source: 'clicks',
        start: { timestamp: '2025-01-01T00:00:00Z' },
        end: { messageId: '12:4:0' },
        filter: { key: { prefix: 'user-' }, properties: { country: 'NZ' } },
        target,
        rateLimit: { eventsPerSecond: 100 },
      }),
    ).toMatchObject({
      start: { kind: 'timestamp', timestamp: Date.parse('2025-01-01T00:00:00Z') },
      end: { kind: 'messageIds', messageIds: ['12:4:0'] },
      filter: { key: { prefix: 'user-' }, properties: { country: 'NZ' } },
      rateLimitPerSecond: 100,
    });
  });

  it('names every problem by pointer: missing source, bad positions, bad filter, bad target, bad rate', () => {
    expect(
      problemsOf({
        start: { timestamp: 'yesterday' },
        end: 'never',
        filter: { key: { prefix: '' }, properties: { a: 1 } },
        target: { kind: 'elsewhere' },
        rateLimit: { eventsPerSecond: 0 },
        extra: true,
      }),
    ).toEqual([
      '/extra',
      '/source',
      '/start/timestamp',
      '/end',
      '/filter/key',
      '/filter/properties',
      '/target/kind',
      '/rateLimit/eventsPerSecond',
    ]);
  });

  it('refuses an end timestamp before the start timestamp', () => {
    expect(
      problemsOf({ source: 'clicks', target, start: { timestamp: 2000 }, end: { timestamp: 1000 } }),
    ).toEqual(['/end/timestamp']);
  });

  it('reads a feature rebuild target and a Parquet export target', () => {
    expect(
      parseReplayRequest({
        source: 'raw',
        target: {
          kind: 'pipelineStage',
          pipeline: 'fraud',
          stage: 'prepare',
          featureDefinition: 'fraud.card-features@2',
        },
      }).target,
    ).toEqual({
      kind: 'pipelineStage',
      pipeline: 'fraud',
      stage: 'prepare',
      featureDefinition: 'fraud.card-features@2',
    });
    expect(
      parseReplayRequest({ source: 'raw', target: { kind: 'datasetExport', dataset: 'raw/2025' } }).target,
    ).toEqual({
      kind: 'datasetExport',
      dataset: 'raw/2025',
    });
  });

  it('refuses a rebuild without a feature definition and an export name that is not a key prefix', () => {
    expect(
      problemsOf({ source: 'raw', target: { kind: 'pipelineStage', pipeline: 'fraud', stage: 'prepare' } }),
    ).toEqual(['/target/featureDefinition']);
    expect(problemsOf({ source: 'raw', target: { kind: 'datasetExport', dataset: '../x' } })).toEqual([
      '/target/dataset',
    ]);
  });
});
