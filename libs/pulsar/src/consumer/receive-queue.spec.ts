import { AlreadyClosedError } from '../errors';
import { ReceiveQueue } from './receive-queue';

class Msg {
  constructor(
    readonly name: string,
    private readonly size = 1,
  ) {}
  getData(): Buffer {
    return Buffer.alloc(this.size);
  }
}

function queueOf(policy = { maxNumMessages: 3, maxNumBytes: -1, timeoutMs: 50 }) {
  const handedOut: string[] = [];
  const queue = new ReceiveQueue<Msg, string>(policy, (message, source) => {
    handedOut.push(`${source}:${message.name}`);
    return message;
  });
  return { queue, handedOut };
}

const names = (messages: Msg[]): string[] => messages.map((m) => m.name);

describe(ReceiveQueue.name, () => {
  afterEach(() => jest.useRealTimers());

  it('hands a pushed message to a waiting receive(), else queues it for the next one', async () => {
    const { queue, handedOut } = queueOf();
    const waiting = queue.receive();
    queue.push(new Msg('a'), 'p0');
    queue.push(new Msg('b'), 'p1');
    expect((await waiting).name).toBe('a');
    expect(queue.length).toBe(1);
    expect((await queue.receive()).name).toBe('b');
    expect(handedOut).toEqual(['p0:a', 'p1:b']);
  });

  it('resolves batchReceive() as soon as maxNumMessages are queued', async () => {
    const { queue } = queueOf();
    const batch = queue.batchReceive();
    for (const name of ['a', 'b', 'c', 'd']) queue.push(new Msg(name), 'p0');
    expect(names(await batch)).toEqual(['a', 'b', 'c']);
    expect(queue.length).toBe(1);
  });

  it('resolves batchReceive() at once when the queue already holds a full batch', async () => {
    const { queue } = queueOf({ maxNumMessages: -1, maxNumBytes: 10, timeoutMs: 0 });
    queue.push(new Msg('big', 6), 'p0');
    queue.push(new Msg('bigger', 6), 'p0');
    queue.push(new Msg('small', 1), 'p0');
    expect(names(await queue.batchReceive())).toEqual(['big']);
    const next = queue.batchReceive();
    queue.push(new Msg('last', 3), 'p0');
    expect(names(await next)).toEqual(['bigger', 'small', 'last']);
  });

  it('resolves batchReceive() at timeoutMs with what came, possibly nothing', async () => {
    jest.useFakeTimers();
    const { queue } = queueOf();
    const empty = queue.batchReceive();
    jest.advanceTimersByTime(50);
    expect(await empty).toEqual([]);
    queue.push(new Msg('a'), 'p0');
    const partial = queue.batchReceive();
    jest.advanceTimersByTime(49);
    queue.push(new Msg('b'), 'p0');
    jest.advanceTimersByTime(1);
    expect(names(await partial)).toEqual(['a', 'b']);
  });

  it("drops one source's queued messages and keeps the byte count of the others", async () => {
    const { queue } = queueOf({ maxNumMessages: -1, maxNumBytes: 10, timeoutMs: 0 });
    queue.push(new Msg('a', 6), 'p0');
    queue.push(new Msg('b', 3), 'p1');
    expect(queue.drop('p0')).toBe(1);
    const batch = queue.batchReceive();
    queue.push(new Msg('c', 7), 'p1');
    expect(names(await batch)).toEqual(['b', 'c']);
  });

  it('removes the queued messages a predicate picks (an acked copy) without handing them out', async () => {
    const { queue, handedOut } = queueOf({ maxNumMessages: -1, maxNumBytes: 10, timeoutMs: 0 });
    queue.push(new Msg('acked', 6), 'p0');
    queue.push(new Msg('b', 3), 'p0');
    expect(queue.remove((m) => m.name === 'acked')).toBe(1);
    expect(handedOut).toEqual([]);
    const batch = queue.batchReceive();
    queue.push(new Msg('c', 7), 'p0');
    expect(names(await batch)).toEqual(['b', 'c']);
  });

  it('rejects every waiting call when closed', async () => {
    const { queue } = queueOf({ maxNumMessages: 3, maxNumBytes: -1, timeoutMs: 0 });
    const single = queue.receive();
    const batch = queue.batchReceive();
    queue.close(new AlreadyClosedError('consumer'));
    await expect(single).rejects.toBeInstanceOf(AlreadyClosedError);
    await expect(batch).rejects.toBeInstanceOf(AlreadyClosedError);
  });
});
