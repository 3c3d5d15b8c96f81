import type { CheckpointUpdate } from '../jobs/replay-job.store';
import { CheckpointWriter } from './checkpoint-writer';

function update(scanned: number, done = false): CheckpointUpdate {
  return { partition: 0, lastId: `id-${scanned}`, scanned, events: scanned, bytes: scanned, done };
}

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-settled promise's continuations run. */
const drain = () => new Promise((resolve) => setImmediate(resolve));

describe(CheckpointWriter.name, () => {
  it('returns before the write is done, and saves only once every covered send is acknowledged', async () => {
    const saved: number[] = [];
    const writer = new CheckpointWriter(async (u) => void saved.push(u.scanned));
    const send = deferred<string>();

    await writer.begin(update(500), [send.promise]);
    await drain();
    expect(saved).toEqual([]);

    send.resolve('acknowledged');
    await writer.settled();
    expect(saved).toEqual([500]);
  });

  it('keeps at most one write in flight: the next checkpoint waits for the previous one, in order', async () => {
    const saves: Array<{ scanned: number; done: ReturnType<typeof deferred<void>> }> = [];
    const writer = new CheckpointWriter((u) => {
      const done = deferred<void>();
      saves.push({ scanned: u.scanned, done });
      return done.promise;
    });

    await writer.begin(update(500), []);
    await drain();
    let secondStarted = false;
    const second = writer.begin(update(1000), []).then(() => (secondStarted = true));
    await drain();
    expect(saves.map((s) => s.scanned)).toEqual([500]);
    expect(secondStarted).toBe(false);

    saves[0].done.resolve();
    await second;
    await drain();
    expect(saves.map((s) => s.scanned)).toEqual([500, 1000]);
    saves[1].done.resolve();
    await writer.settled();
  });

  it('saves nothing for a checkpoint whose send failed, and throws that failure at the next checkpoint', async () => {
    const saved: number[] = [];
    const writer = new CheckpointWriter(async (u) => void saved.push(u.scanned));
    const failure = new Error('the target did not acknowledge an event');

    await writer.begin(update(500), [Promise.reject(failure)]);
    await drain();

    await expect(writer.begin(update(1000), [])).rejects.toBe(failure);
    expect(saved).toEqual([]);
  });

  it('throws a failed write once, from settled', async () => {
    const failure = new Error('postgres unavailable');
    const writer = new CheckpointWriter(() => Promise.reject(failure));

    await writer.begin(update(500, true), []);

    await expect(writer.settled()).rejects.toBe(failure);
    await expect(writer.settled()).resolves.toBeUndefined();
  });
});
