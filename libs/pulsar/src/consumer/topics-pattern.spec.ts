import { matchingTopics, parseTopicsPattern } from './topics-pattern';

describe(parseTopicsPattern.name, () => {
  it('reads the namespace and the full form of a pattern with a domain', () => {
    const pattern = parseTopicsPattern('persistent://acme/payments/orders-.*');
    expect(pattern.namespace).toBe('acme/payments');
    expect(pattern.source).toBe('persistent://acme/payments/orders-.*');
  });

  it('places a short pattern in public/default, as short topic names', () => {
    const pattern = parseTopicsPattern('orders-.*');
    expect(pattern.namespace).toBe('public/default');
    expect(pattern.source).toBe('persistent://public/default/orders-.*');
  });

  it('refuses an empty pattern, a bad regex and a two-part name', () => {
    expect(() => parseTopicsPattern('')).toThrow(/non-empty/);
    expect(() => parseTopicsPattern('public/default/orders-(')).toThrow(/not a valid regular expression/);
    expect(() => parseTopicsPattern('public/orders-.*')).toThrow(/tenant\/namespace\/regex/);
  });
});

describe(matchingTopics.name, () => {
  const pattern = parseTopicsPattern('persistent://public/default/orders-.*');

  it('matches whole names, folds partitions into their topic and sorts', () => {
    expect(
      matchingTopics(pattern, [
        'persistent://public/default/orders-eu-partition-1',
        'persistent://public/default/orders-eu-partition-0',
        'persistent://public/default/orders-us',
        'persistent://public/default/refunds',
        'persistent://public/default/old-orders-us',
      ]),
    ).toEqual(['persistent://public/default/orders-eu', 'persistent://public/default/orders-us']);
  });

  it('leaves system topics out', () => {
    const all = parseTopicsPattern('public/default/.*');
    expect(
      matchingTopics(all, ['persistent://public/default/__change_events', 'persistent://public/default/a']),
    ).toEqual(['persistent://public/default/a']);
  });
});
