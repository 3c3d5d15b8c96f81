import { javaStringHash } from '@gyre/pulsar';
import { planRedrive, republishedProperties, targetPartition } from './redrive-plan';

const source = 'persistent://gyre/streams/clicks';
const letter = (id: string, key?: string, properties: Record<string, string> = {}) => ({
  id,
  key,
  properties,
});

describe(planRedrive.name, () => {
  it('gives new letters the next sequence ids in DLQ order', () => {
    const steps = planRedrive({
      letters: [letter('1:0:-1', 'a'), letter('1:1:-1', 'b')],
      records: [{ deadLetterId: '0:9:-1', partition: 0, sequenceId: 4, state: 'published' }],
      partitions: 3,
      sourceTopic: source,
    });

    expect(steps.map((s) => [s.letter.id, s.sequenceId, s.action, s.isNew])).toEqual([
      ['1:0:-1', 5, 'publish', true],
      ['1:1:-1', 6, 'publish', true],
    ]);
  });

  it('resends pending letters of an interrupted redrive first, with their recorded partition and sequence id', () => {
    const steps = planRedrive({
      letters: [letter('1:0:-1', 'a'), letter('1:1:-1', 'b'), letter('1:2:-1', 'c')],
      records: [
        { deadLetterId: '1:1:-1', partition: 2, sequenceId: 8, state: 'pending' },
        { deadLetterId: '1:0:-1', partition: 1, sequenceId: 7, state: 'published' },
      ],
      partitions: 3,
      sourceTopic: source,
    });

    expect(steps.map((s) => [s.letter.id, s.partition, s.sequenceId, s.action])).toEqual([
      ['1:1:-1', 2, 8, 'publish'],
      ['1:0:-1', 1, 7, 'acknowledge'],
      ['1:2:-1', javaStringHash('c') % 3, 9, 'publish'],
    ]);
  });

  it('plans only the selected new letters, but always finishes pending ones', () => {
    const steps = planRedrive({
      letters: [letter('1:0:-1'), letter('1:1:-1'), letter('1:2:-1')],
      records: [{ deadLetterId: '1:0:-1', partition: 0, sequenceId: 0, state: 'pending' }],
      selected: new Set(['1:2:-1']),
      partitions: 1,
      sourceTopic: source,
    });

    expect(steps.map((s) => s.letter.id)).toEqual(['1:0:-1', '1:2:-1']);
  });
});

describe(targetPartition.name, () => {
  it('routes a keyless letter back to the partition it came from, or partition 0', () => {
    expect(targetPartition(letter('x', undefined, { REAL_TOPIC: `${source}-partition-2` }), 3, source)).toBe(
      2,
    );
    expect(
      targetPartition(
        letter('x', undefined, { REAL_TOPIC: 'persistent://gyre/streams/other-partition-2' }),
        3,
        source,
      ),
    ).toBe(0);
  });
});

describe(republishedProperties.name, () => {
  it("drops Pulsar's letter bookkeeping and Gyre's failure record, and keeps the event's own properties", () => {
    expect(
      republishedProperties(
        letter('x', 'k', {
          source: 'web',
          'gyre-event-id': 'e1',
          REAL_TOPIC: 't',
          ORIGIN_MESSAGE_ID: '1:2:0',
          ORIGIN_MESSAGE_IDY_TIME: '1:2:0',
          REAL_SUBSCRIPTION: 'sub',
          RECONSUMETIMES: '2',
          DELAY_TIME: '1000',
          RETRY_TOPIC: 't-sub-RETRY',
          'gyre-failure-reason': 'boom',
          'gyre-failure-code': 'HANDLER_FAILED',
          'gyre-attempts': '3',
        }),
      ),
    ).toEqual({ source: 'web', 'gyre-event-id': 'e1' });
  });
});
