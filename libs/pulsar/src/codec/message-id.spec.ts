import { MessageId } from './message-id';

describe(MessageId.name, () => {
  it('serializes to the MessageIdData bytes the official clients read', () => {
    const id = new MessageId(123n, 456n, 2, 3, 10);
    expect(id.serialize().toString('hex')).toBe('087b10c803180220033' + '00a');
    expect(id.toOpaqueString()).toBe('CHsQyAMYAiADMAo');
  });

  it('writes earliest (-1:-1) as two 10-byte varints of 2^64-1', () => {
    expect(MessageId.earliest().serialize().toString('hex')).toBe(
      '08ffffffffffffffffff0110ffffffffffffffffff01',
    );
  });

  it('round-trips ids beyond 2^53 without losing precision', () => {
    const id = new MessageId(9007199254740993n, (1n << 62n) + 7n, 5, 0, 2);
    const back = MessageId.fromOpaqueString(id.toOpaqueString());
    expect(back.ledgerId).toBe(9007199254740993n);
    expect(back.entryId).toBe((1n << 62n) + 7n);
    expect(back.equals(id)).toBe(true);
  });

  it('reads latest back as Long.MAX_VALUE and earliest as -1', () => {
    expect(MessageId.deserialize(MessageId.latest().serialize()).ledgerId).toBe((1n << 63n) - 1n);
    expect(MessageId.deserialize(MessageId.earliest().serialize()).entryId).toBe(-1n);
  });

  it('keeps partition -1 and batch index -1 when absent', () => {
    const id = MessageId.deserialize(new MessageId(1n, 2n).serialize());
    expect([id.partition, id.batchIndex]).toEqual([-1, -1]);
  });

  it('orders by ledger, then entry, then batch index', () => {
    const ids = [
      new MessageId(2n, 0n),
      new MessageId(1n, 5n, -1, 1),
      new MessageId(1n, 5n),
      new MessageId(1n, 5n, -1, 0),
      MessageId.earliest(),
    ];
    const sorted = [...ids].sort((a, b) => a.compareTo(b)).map((id) => id.toJavaString());
    expect(sorted).toEqual(['-1:-1:-1', '1:5:-1', '1:5:-1:0', '1:5:-1:1', '2:0:-1']);
  });

  it("prints the official client's form with toString() and the Java form with toJavaString()", () => {
    expect(new MessageId(12n, 5n, 2, 3).toString()).toBe('(12,5,2,3)');
    expect(String(new MessageId(12n, 5n))).toBe('(12,5,-1,-1)');
    expect(MessageId.earliest().toString()).toBe('(-1,-1,-1,-1)');
    expect(new MessageId(12n, 5n, 2, 3).toJavaString()).toBe('12:5:2:3');
    expect(new MessageId(12n, 5n).toJavaString()).toBe('12:5:-1');
  });

  it('reads both text forms back, the Java one of rows stored before included', () => {
    for (const id of [
      new MessageId(12n, 5n, 2, 3),
      new MessageId(9007199254740993n, 0n),
      MessageId.earliest(),
    ]) {
      expect(MessageId.fromString(id.toString()).equals(id)).toBe(true);
      expect(MessageId.fromString(id.toJavaString()).equals(id)).toBe(true);
    }
    expect(MessageId.fromString('7:42').equals(new MessageId(7n, 42n))).toBe(true);
    expect(() => MessageId.fromString('(1,2,3)')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => MessageId.fromString('1:x')).toThrow('not a message id: "1:x"');
  });

  it('rejects text that is not an opaque id', () => {
    expect(() => MessageId.fromOpaqueString('not an id!')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => MessageId.fromOpaqueString('____')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
