import { settleKeyedBatch } from './keyed-batch';

/** Events named `<key>:<n>`; failures by name; settleFailure retries after `backoff` unless `dead` names it. */
function settlementOf(dead: string[] = [], backoff: Record<string, number> = {}) {
  const acked: string[] = [];
  const deadLettered: string[] = [];
  return {
    acked,
    deadLettered,
    keyOf: (event: string) => event.split(':')[0],
    ack: (event: string) => {
      acked.push(event);
      return Promise.resolve();
    },
    settleFailure: (event: string) => {
      if (dead.includes(event)) {
        deadLettered.push(event);
        return Promise.resolve(undefined);
      }
      return Promise.resolve(backoff[event] ?? 100);
    },
  };
}

describe(settleKeyedBatch.name, () => {
  it('holds back a key’s later events behind one to retry, even those that succeeded, and acks the other keys', async () => {
    const batch = ['a:1', 'b:1', 'a:2', 'b:2', 'a:3'];
    const settlement = settlementOf([], { 'a:1': 250 });
    const attempts = new Map(batch.map((event) => [event, 1]));

    const { again, delayMs } = await settleKeyedBatch(
      batch,
      [new Error('busy'), undefined, undefined, undefined, new Error('busy')],
      attempts,
      settlement,
    );

    expect(again).toEqual(['a:1', 'a:2', 'a:3']);
    expect(settlement.acked).toEqual(['b:1', 'b:2']);
    expect(delayMs).toBe(250);
    // Only the event that failed itself used up an attempt; a:3 was held back before its own failure counted.
    expect([attempts.get('a:1'), attempts.get('a:2'), attempts.get('a:3')]).toEqual([2, 1, 1]);
  });

  it('lets a key go on past an event that is dead-lettered', async () => {
    const batch = ['a:1', 'a:2'];
    const settlement = settlementOf(['a:1']);

    const { again } = await settleKeyedBatch(batch, [new Error('poison'), undefined], new Map(), settlement);

    expect(again).toEqual([]);
    expect(settlement.deadLettered).toEqual(['a:1']);
    expect(settlement.acked).toEqual(['a:2']);
  });
});
