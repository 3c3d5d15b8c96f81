import { KeyQueue } from './key-queue';

/** Events named `key:n`. */
const keyOf = (event: string) => event.split(':')[0];

describe(KeyQueue.name, () => {
  it('hands out a batch of unrelated keys while an earlier batch holds other keys', () => {
    const queue = new KeyQueue(keyOf);
    for (const event of ['a:1', 'b:1']) queue.add(event);
    const first = queue.take(64);
    for (const event of ['c:1', 'd:1']) queue.add(event);

    expect(first).toEqual(['a:1', 'b:1']);
    expect(queue.take(64)).toEqual(['c:1', 'd:1']);
  });

  it('holds a busy key’s events, in order, until its batch is released, then hands them out by arrival', () => {
    const queue = new KeyQueue(keyOf);
    queue.add('a:1');
    const first = queue.take(64);
    for (const event of ['b:1', 'a:2', 'c:1', 'a:3']) queue.add(event);

    expect(queue.take(64)).toEqual(['b:1', 'c:1']);
    expect(queue.size).toBe(2);
    expect(queue.readyCount).toBe(0);
    expect(queue.release(first)).toBe(2);
    queue.add('d:1');
    expect(queue.take(64)).toEqual(['a:2', 'a:3', 'd:1']);
  });

  it('releases the held events of several keys in their arrival order, among the ready ones', () => {
    const queue = new KeyQueue(keyOf);
    for (const event of ['a:1', 'b:1']) queue.add(event);
    const first = queue.take(2);
    for (const event of ['b:2', 'c:1', 'a:2', 'b:3']) queue.add(event);
    queue.release(first);

    expect(queue.take(64)).toEqual(['b:2', 'c:1', 'a:2', 'b:3']);
  });

  it('holds back the ready events of a key cut by the batch size behind the batch that took the key', () => {
    const queue = new KeyQueue(keyOf);
    for (const event of ['a:1', 'b:1', 'a:2', 'c:1']) queue.add(event);
    const first = queue.take(2);

    expect(first).toEqual(['a:1', 'b:1']);
    expect(queue.take(2)).toEqual(['c:1']);
    queue.release(first);
    expect(queue.take(2)).toEqual(['a:2']);
    expect(queue.size).toBe(0);
  });

  it('gives the same key to no two batches out at once, whatever the arrival order', () => {
    const queue = new KeyQueue(keyOf);
    const out = new Set<string>();
    const seen: string[] = [];
    const batches: string[][] = [];
    for (let i = 0; i < 200; i++) {
      queue.add(`k${(i * 7) % 5}:${i}`);
      if (i % 3 === 0) {
        const batch = queue.take(4);
        for (const key of new Set(batch.map(keyOf))) {
          expect(out.has(key)).toBe(false);
          out.add(key);
        }
        batches.push(batch);
        seen.push(...batch);
      }
      if (i % 4 === 0 && batches.length > 0) {
        const done = batches.shift()!;
        for (const key of new Set(done.map(keyOf))) out.delete(key);
        queue.release(done);
      }
    }
    for (let turn = 0; turn < 200 && queue.size > 0; turn++) {
      for (const done of batches.splice(0)) queue.release(done);
      const batch = queue.take(4);
      batches.push(batch);
      seen.push(...batch);
    }

    expect(seen).toHaveLength(200);
    for (const key of ['k0', 'k1', 'k2', 'k3', 'k4']) {
      const order = seen.filter((event) => keyOf(event) === key).map((event) => Number(event.split(':')[1]));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
