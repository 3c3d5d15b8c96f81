import type { StageEvent } from '@gyre/pipelines';
import { featureVectorRows } from './feature-row';

const input: StageEvent = {
  id: 'evt-1',
  key: 'card-1',
  epoch: undefined,
  payload: {},
  eventTime: 1_700_000_000_000,
  properties: {},
};

describe(featureVectorRows.name, () => {
  const rows = featureVectorRows(['amount', 'velocity']);

  it('stores the values by feature name, for the input event unless the payload names another', () => {
    expect(rows({ stream: 'f', payload: { values: [12.5, 3] } }, input)).toEqual({
      event_id: 'evt-1',
      key: 'card-1',
      event_time: 1_700_000_000_000,
      amount: 12.5,
      velocity: 3,
    });
    expect(
      rows({ stream: 'f', key: 'k', payload: { values: [1, 2], eventId: 'tx-9', timestamp: 5 } }, input),
    ).toMatchObject({ event_id: 'tx-9', key: 'k', event_time: 5 });
  });

  it('finds no row in an output that is not a feature vector of the definition', () => {
    expect(rows({ stream: 'f', payload: { values: [1] } }, input)).toBeUndefined();
    expect(rows({ stream: 'f', payload: null }, input)).toBeUndefined();
    expect(rows({ stream: 'f', payload: { score: 0.3 } }, input)).toBeUndefined();
  });
});
