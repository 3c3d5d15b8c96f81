import { matchesFilter } from './filter';

describe(matchesFilter.name, () => {
  const message = { key: 'user-42', properties: { country: 'NZ', tier: 'gold' } };

  it('lets every message through without a filter', () => {
    expect(matchesFilter(undefined, message)).toBe(true);
    expect(matchesFilter({}, { key: undefined, properties: {} })).toBe(true);
  });

  it('matches a key exactly or by prefix, and never a message without a key', () => {
    expect(matchesFilter({ key: { equals: 'user-42' } }, message)).toBe(true);
    expect(matchesFilter({ key: { equals: 'user-4' } }, message)).toBe(false);
    expect(matchesFilter({ key: { prefix: 'user-' } }, message)).toBe(true);
    expect(matchesFilter({ key: { prefix: 'card-' } }, message)).toBe(false);
    expect(matchesFilter({ key: { prefix: 'user-' } }, { key: undefined, properties: {} })).toBe(false);
  });

  it('requires every given property with exactly its value, together with the key condition', () => {
    expect(matchesFilter({ properties: { country: 'NZ' } }, message)).toBe(true);
    expect(matchesFilter({ properties: { country: 'NZ', tier: 'silver' } }, message)).toBe(false);
    expect(matchesFilter({ properties: { missing: '' } }, message)).toBe(false);
    expect(matchesFilter({ key: { prefix: 'card-' }, properties: { country: 'NZ' } }, message)).toBe(false);
  });

  it('does not take inherited object members for properties', () => {
    expect(matchesFilter({ properties: { toString: 'x' } }, message)).toBe(false);
  });
});
