import { ClaimRequest, ClaimRow, eventClaimKey, planIngest, requestClaimKey } from './idempotency-plan';

const TOKEN = 'mine';
const requestClaim: ClaimRequest = { key: requestClaimKey('k1'), hash: 'h-request' };
const eventClaim = (index: number, id: string, hash = `h-${id}`): ClaimRequest => ({
  key: eventClaimKey(id),
  hash,
  eventIndex: index,
});

function rows(...list: Array<Partial<ClaimRow> & { key: string }>): Map<string, ClaimRow> {
  return new Map(
    list.map((row) => [
      row.key,
      { requestHash: 'h-request', state: 'pending', claimToken: TOKEN, response: null, ...row } as ClaimRow,
    ]),
  );
}

describe(planIngest.name, () => {
  it('publishes when this request won every claim', () => {
    const claims = [requestClaim, eventClaim(0, 'a')];

    const plan = planIngest(
      claims,
      rows({ key: claims[0].key }, { key: claims[1].key, requestHash: 'h-a' }),
      TOKEN,
      5,
    );

    expect(plan).toEqual({ kind: 'publish', replayed: new Map() });
  });

  it('replays the stored response of a finished request with the same key and body', () => {
    const response = { stream: 's', events: [{ index: 0, messageId: 'CAE', duplicate: false }] };

    const plan = planIngest(
      [requestClaim],
      rows({ key: requestClaim.key, claimToken: 'other', state: 'done', response }),
      TOKEN,
      5,
    );

    expect(plan).toEqual({ kind: 'replay', response });
  });

  it('refuses the same Idempotency-Key with a different body with IDEMPOTENCY_KEY_REUSED', () => {
    const plan = planIngest(
      [requestClaim],
      rows({ key: requestClaim.key, claimToken: 'other', state: 'done', requestHash: 'h-else' }),
      TOKEN,
      5,
    );

    expect(plan).toMatchObject({
      kind: 'refuse',
      error: { code: 'IDEMPOTENCY_KEY_REUSED', retriable: false },
    });
  });

  it('refuses a concurrent duplicate still in flight, retriable with a Retry-After hint', () => {
    const plan = planIngest([requestClaim], rows({ key: requestClaim.key, claimToken: 'other' }), TOKEN, 7);

    expect(plan).toMatchObject({
      kind: 'refuse',
      error: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS', retriable: true, retryAfterSeconds: 7 },
    });
  });

  it('treats a claim that vanished between claiming and reading as in progress', () => {
    expect(planIngest([requestClaim], new Map(), TOKEN, 5)).toMatchObject({
      kind: 'refuse',
      error: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' },
    });
  });

  it('publishes new events and replays the message ids of events whose ids were already published', () => {
    const claims = [eventClaim(0, 'a'), eventClaim(1, 'b')];

    const plan = planIngest(
      claims,
      rows(
        {
          key: claims[0].key,
          requestHash: 'h-a',
          claimToken: 'other',
          state: 'done',
          response: { messageId: 'X' },
        },
        { key: claims[1].key, requestHash: 'h-b' },
      ),
      TOKEN,
      5,
    );

    expect(plan).toEqual({ kind: 'publish', replayed: new Map([[0, { messageId: 'X' }]]) });
  });

  it('refuses an event id reused for a different event, naming the event', () => {
    const claims = [eventClaim(0, 'a'), eventClaim(1, 'b')];

    const plan = planIngest(
      claims,
      rows(
        { key: claims[0].key, requestHash: 'h-a' },
        { key: claims[1].key, claimToken: 'other', state: 'done', requestHash: 'h-old' },
      ),
      TOKEN,
      5,
    );

    expect(plan).toMatchObject({
      kind: 'refuse',
      error: { code: 'IDEMPOTENCY_KEY_REUSED', problems: [{ pointer: '/events/1/id' }] },
    });
  });

  it('lets a replayable request win over the state of its event ids', () => {
    const response = { stream: 's', events: [] };
    const claims = [requestClaim, eventClaim(0, 'a')];

    const plan = planIngest(
      claims,
      rows(
        { key: claims[0].key, claimToken: 'other', state: 'done', response },
        { key: claims[1].key, claimToken: 'other' },
      ),
      TOKEN,
      5,
    );

    expect(plan).toEqual({ kind: 'replay', response });
  });
});
