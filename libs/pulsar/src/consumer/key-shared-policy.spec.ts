import { keySharedMeta } from './key-shared-policy';

describe(keySharedMeta.name, () => {
  it('sends nothing without a policy', () => {
    expect(keySharedMeta(undefined, 'KeyShared')).toBeUndefined();
  });

  it('maps AutoSplit (the default) to mode 0 without ranges', () => {
    expect(keySharedMeta({ allowOutOfOrderDelivery: true }, 'KeyShared')).toEqual({
      keySharedMode: 0,
      hashRanges: undefined,
      allowOutOfOrderDelivery: true,
    });
  });

  it('maps Sticky to mode 1 with its inclusive hash ranges', () => {
    expect(
      keySharedMeta(
        {
          keyShareMode: 'Sticky',
          stickyRanges: [
            { start: 0, end: 100 },
            { start: 1000, end: 65535 },
          ],
        },
        'KeyShared',
      ),
    ).toEqual({
      keySharedMode: 1,
      hashRanges: [
        { start: 0, end: 100 },
        { start: 1000, end: 65535 },
      ],
      allowOutOfOrderDelivery: false,
    });
  });

  it('refuses a policy on another subscription type rather than ignoring it', () => {
    expect(() => keySharedMeta({}, 'Shared')).toThrow(/keySharedPolicy needs subscriptionType 'KeyShared'/);
  });

  it('refuses Sticky without ranges, ranges outside [0, 65535], reversed or overlapping ones', () => {
    const sticky = (stickyRanges: Array<{ start: number; end: number }>) => () =>
      keySharedMeta({ keyShareMode: 'Sticky', stickyRanges }, 'KeyShared');
    expect(sticky([])).toThrow(/needs at least one of stickyRanges/);
    expect(sticky([{ start: 0, end: 65536 }])).toThrow(/must be in 0 to 65535/);
    expect(sticky([{ start: 10, end: 5 }])).toThrow(/start <= end/);
    expect(
      sticky([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
    ).toThrow(/with overlap/);
  });

  it('refuses ranges with AutoSplit and unknown modes', () => {
    expect(() => keySharedMeta({ stickyRanges: [{ start: 0, end: 1 }] }, 'KeyShared')).toThrow(
      /stickyRanges need keyShareMode 'Sticky'/,
    );
    expect(() => keySharedMeta({ keyShareMode: 'Auto' as 'AutoSplit' }, 'KeyShared')).toThrow(
      /keyShareMode must be/,
    );
  });
});
