import { StreamsError } from '@gyre/streams';
import { IngestResult, StoredEventResult } from './ingest-result';

/** One key a request wants to hold: its Idempotency-Key (no eventIndex) or an event id. */
export interface ClaimRequest {
  key: string;
  hash: string;
  eventIndex?: number;
}

/** A claim row as stored, whoever holds it. */
export interface ClaimRow {
  key: string;
  requestHash: string;
  state: 'pending' | 'done';
  claimToken: string;
  response: unknown;
}

export type IngestPlan =
  | { kind: 'replay'; response: IngestResult }
  | { kind: 'refuse'; error: StreamsError }
  | { kind: 'publish'; replayed: Map<number, StoredEventResult> };

export function requestClaimKey(idempotencyKey: string): string {
  return `request:${idempotencyKey}`;
}

export function eventClaimKey(id: string): string {
  return `event:${id}`;
}

/**
 * What to do with a request once its claims were attempted. `rows` holds the current row of every
 * requested key (absent if it vanished meanwhile); rows carrying `token` are the ones this request won.
 * A finished request with the same key and body is replayed; with another body it is refused; a claim
 * still pending elsewhere means a concurrent duplicate, refused with a retry hint rather than published twice.
 */
export function planIngest(
  claims: ClaimRequest[],
  rows: ReadonlyMap<string, ClaimRow>,
  token: string,
  retryAfterSeconds: number,
): IngestPlan {
  const inProgress = (what: string) =>
    new StreamsError(
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      `${what} is being processed by another request; retry later`,
      {
        retriable: true,
        retryAfterSeconds,
      },
    );
  const request = claims.find((claim) => claim.eventIndex === undefined);
  if (request) {
    const row = rows.get(request.key);
    if (!row) return { kind: 'refuse', error: inProgress('a request with this Idempotency-Key') };
    if (row.claimToken !== token) {
      if (row.requestHash !== request.hash)
        return {
          kind: 'refuse',
          error: new StreamsError(
            'IDEMPOTENCY_KEY_REUSED',
            'this Idempotency-Key was used for a request with a different body',
            { problems: [{ pointer: '/headers/idempotency-key', detail: 'was used with a different body' }] },
          ),
        };
      if (row.state === 'done') return { kind: 'replay', response: row.response as IngestResult };
      return { kind: 'refuse', error: inProgress('a request with this Idempotency-Key') };
    }
  }
  const replayed = new Map<number, StoredEventResult>();
  let busy: StreamsError | undefined;
  for (const claim of claims) {
    if (claim.eventIndex === undefined) continue;
    const row = rows.get(claim.key);
    if (row?.claimToken === token) continue;
    const pointer = `/events/${claim.eventIndex}/id`;
    if (row && row.requestHash !== claim.hash)
      return {
        kind: 'refuse',
        error: new StreamsError('IDEMPOTENCY_KEY_REUSED', 'an event id was used for a different event', {
          problems: [{ pointer, detail: 'was used for a different event within the idempotency window' }],
        }),
      };
    if (row?.state === 'done') replayed.set(claim.eventIndex, row.response as StoredEventResult);
    else busy ??= inProgress(`the event at ${pointer.replace(/\/id$/, '')} (same id)`);
  }
  return busy ? { kind: 'refuse', error: busy } : { kind: 'publish', replayed };
}
