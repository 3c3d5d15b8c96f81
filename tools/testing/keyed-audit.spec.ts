import { auditKeyed, keyedPayloads } from './keyed-audit';

describe(auditKeyed.name, () => {
  it('counts nothing when every payload arrived once, in order per key', () => {
    const sent = keyedPayloads(3, 4).map((p) => p.data);
    expect(auditKeyed(sent, sent)).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  });

  it('counts a resent tail as duplicates, not as reordering', () => {
    expect(auditKeyed(['a:0', 'a:1', 'a:2'], ['a:0', 'a:1', 'a:1', 'a:2'])).toEqual({
      lost: 0,
      duplicated: 1,
      reordered: 0,
    });
  });

  it('counts a required payload that never arrived as lost and a key going backwards as reordered', () => {
    expect(auditKeyed(['a:0', 'a:1', 'b:0', 'b:1'], ['a:1', 'a:0', 'b:0'])).toEqual({
      lost: 1,
      duplicated: 0,
      reordered: 1,
    });
  });
});
