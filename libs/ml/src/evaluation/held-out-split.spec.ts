import { isHeldOut, splitByEventId } from './held-out-split';

describe(splitByEventId.name, () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `evt-${i}`);

  it('holds out about the requested fraction', () => {
    const { train, heldOut } = splitByEventId(ids, (id) => id, 0.2);

    expect(train.length + heldOut.length).toBe(ids.length);
    expect(heldOut.length / ids.length).toBeCloseTo(0.2, 1);
  });

  it('puts an event on the same side every time, whatever else is in the batch', () => {
    const whole = splitByEventId(ids, (id) => id, 0.2).heldOut;
    const part = splitByEventId(ids.slice(5_000), (id) => id, 0.2).heldOut;

    expect(whole.filter((id) => Number(id.slice(4)) >= 5_000)).toEqual(part);
  });

  it('splits differently under another salt', () => {
    const one = splitByEventId(ids, (id) => id, 0.2, 'a').heldOut;
    const other = splitByEventId(ids, (id) => id, 0.2, 'b').heldOut;

    expect(one).not.toEqual(other);
  });
});

describe(isHeldOut.name, () => {
  it('holds out nothing at 0 and everything at 1, and rejects fractions outside [0, 1]', () => {
    expect(isHeldOut('evt-1', 0)).toBe(false);
    expect(isHeldOut('evt-1', 1)).toBe(true);
    expect(() => isHeldOut('evt-1', 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
