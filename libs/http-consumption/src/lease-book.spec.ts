import { testMessage } from './spec-fixtures';
import { LeaseBook, LeaseConsumer } from './lease-book';
import type { LeaseClaim } from './lease-token';

describe(LeaseBook.name, () => {
  let now: number;
  let consumer: { acknowledge: jest.Mock; negativeAcknowledge: jest.Mock } & LeaseConsumer;
  let book: LeaseBook;
  const claim = (leaseId: number, entry: number, expiresAt = now + 1000): LeaseClaim => ({
    instance: 'i',
    leaseId,
    expiresAt,
    messageId: testMessage(entry).getMessageId().toOpaqueString(),
  });

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
    jest.setSystemTime(now);
    consumer = { acknowledge: jest.fn(async () => undefined), negativeAcknowledge: jest.fn() };
    book = new LeaseBook(consumer, 100, () => Date.now());
  });
  afterEach(() => {
    book.close();
    jest.useRealTimers();
  });

  it('acks a running lease once and answers a repeated ack the same way', async () => {
    const expiry = now + 1000;
    book.lease(1, testMessage(1), expiry);

    expect(await book.ack(claim(1, 1, expiry))).toBe('acked');
    expect(await book.ack(claim(1, 1, expiry))).toBe('acked');
    expect(consumer.acknowledge).toHaveBeenCalledTimes(1);
    expect(book.outstanding).toBe(0);
  });

  it('negatively acknowledges a lease that runs out, and answers a late ack with expired', async () => {
    const expiry = now + 1000;
    book.lease(1, testMessage(1), expiry);

    jest.advanceTimersByTime(1000);

    expect(consumer.negativeAcknowledge).toHaveBeenCalledTimes(1);
    expect(await book.ack(claim(1, 1, expiry))).toBe('expired');
    expect(consumer.acknowledge).not.toHaveBeenCalled();
  });

  it('holds a nacked message for its delay, counting it as outstanding, then redelivers it', () => {
    const expiry = now + 10_000;
    book.lease(1, testMessage(1), expiry);

    expect(book.nack(claim(1, 1, expiry), 500)).toBe('nacked');
    expect(book.outstanding).toBe(1);
    jest.advanceTimersByTime(499);
    expect(consumer.negativeAcknowledge).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(consumer.negativeAcknowledge).toHaveBeenCalledTimes(1);
    expect(book.outstanding).toBe(0);
  });

  it('answers an ack of a nacked lease with nacked and does not ack the message', async () => {
    const expiry = now + 10_000;
    book.lease(1, testMessage(1), expiry);
    book.nack(claim(1, 1, expiry), 0);

    expect(await book.ack(claim(1, 1, expiry))).toBe('nacked');
    expect(consumer.acknowledge).not.toHaveBeenCalled();
  });

  it('answers unknown for a lease it never issued, and expired once its token has run out', async () => {
    expect(await book.ack(claim(9, 9, now + 1000))).toBe('unknown');
    expect(await book.ack(claim(9, 9, now - 1))).toBe('expired');
  });

  it('does not let a token name another message than its lease', async () => {
    const expiry = now + 1000;
    book.lease(1, testMessage(1), expiry);

    expect(await book.ack(claim(1, 2, expiry))).toBe('unknown');
    expect(consumer.acknowledge).not.toHaveBeenCalled();
  });

  it('counts room reserved by a pull in progress until it is released', () => {
    const release = book.reserve(10);
    expect(book.outstanding).toBe(10);
    release();
    release();
    expect(book.outstanding).toBe(0);
  });

  it('moves an extended lease past its old end, then expires it at the new one', () => {
    const expiry = now + 1000;
    book.lease(1, testMessage(1), expiry);
    book.lease(2, testMessage(2), expiry);

    expect(book.extend([claim(1, 1, expiry)], now + 5000)).toEqual(['extended']);
    jest.advanceTimersByTime(1000);
    expect(consumer.negativeAcknowledge).toHaveBeenCalledTimes(1); // lease 2 only
    expect(book.isLive(claim(1, 1, expiry))).toBe(true);
    jest.advanceTimersByTime(4000);
    expect(consumer.negativeAcknowledge).toHaveBeenCalledTimes(2);
    expect(book.outstanding).toBe(0);
  });

  it('answers how an ended lease ended instead of extending it', async () => {
    const expiry = now + 1000;
    book.lease(1, testMessage(1), expiry);
    await book.ack(claim(1, 1, expiry));

    expect(book.extend([claim(1, 1, expiry), claim(9, 9, expiry)], now + 5000)).toEqual(['acked', 'unknown']);
    expect(book.outstanding).toBe(0);
  });

  describe('when the ack has to wait for the broker', () => {
    let confirm: Array<{ resolve: () => void; reject: (error: Error) => void }>;
    beforeEach(() => {
      confirm = [];
      consumer.acknowledge.mockImplementation(
        () => new Promise<void>((resolve, reject) => confirm.push({ resolve, reject })),
      );
    });

    it('answers acked only once the ack is confirmed, and shares one ack between two requests', async () => {
      const expiry = now + 1000;
      book.lease(1, testMessage(1), expiry);
      let answered = false;
      const first = book.ack(claim(1, 1, expiry)).then((outcome) => ((answered = true), outcome));
      const second = book.ack(claim(1, 1, expiry));
      await Promise.resolve();
      expect(answered).toBe(false);
      expect(book.outstanding).toBe(1);

      confirm[0].resolve();
      expect(await Promise.all([first, second])).toEqual(['acked', 'acked']);
      expect(consumer.acknowledge).toHaveBeenCalledTimes(1);
      expect(book.outstanding).toBe(0);
    });

    it('keeps the lease running when the ack fails, so the same token can ack again', async () => {
      const expiry = now + 1000;
      book.lease(1, testMessage(1), expiry);
      const failed = book.ack(claim(1, 1, expiry));
      confirm[0].reject(new Error('commit failed'));
      await expect(failed).rejects.toThrow('commit failed');
      expect(book.isLive(claim(1, 1, expiry))).toBe(true);

      const retried = book.ack(claim(1, 1, expiry));
      confirm[1].resolve();
      expect(await retried).toBe('acked');
    });

    it('neither nacks, extends nor expires a lease whose ack is on its way', async () => {
      const expiry = now + 1000;
      book.lease(1, testMessage(1), expiry);
      const acking = book.ack(claim(1, 1, expiry));

      expect(book.nack(claim(1, 1, expiry), 0)).toBe('acked');
      expect(book.extend([claim(1, 1, expiry)], now + 5000)).toEqual(['acked']);
      jest.advanceTimersByTime(2000);
      expect(consumer.negativeAcknowledge).not.toHaveBeenCalled();

      confirm[0].resolve();
      expect(await acking).toBe('acked');
      expect(consumer.negativeAcknowledge).not.toHaveBeenCalled();
    });

    it('expires the lease when its ack fails after its time ran out', async () => {
      const expiry = now + 1000;
      book.lease(1, testMessage(1), expiry);
      const acking = book.ack(claim(1, 1, expiry));
      jest.advanceTimersByTime(2000);
      confirm[0].reject(new Error('broker gone'));

      await expect(acking).rejects.toThrow('broker gone');
      expect(consumer.negativeAcknowledge).toHaveBeenCalledTimes(1);
      expect(book.outstanding).toBe(0);
      expect(await book.ack(claim(1, 1, expiry))).toBe('expired');
    });
  });
});
