import { backwardIncompatibilities } from './schema-compatibility';

const clicks = {
  type: 'object',
  required: ['user', 'amount'],
  properties: {
    user: { type: 'string', minLength: 1 },
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
  },
};

function changed(patch: (schema: typeof clicks & Record<string, unknown>) => void): Record<string, unknown> {
  const copy = structuredClone(clicks) as typeof clicks & Record<string, unknown>;
  patch(copy);
  return copy;
}

describe(backwardIncompatibilities.name, () => {
  it('accepts the same schema', () => {
    expect(backwardIncompatibilities(clicks, structuredClone(clicks))).toEqual([]);
  });

  it('accepts a new optional property, a dropped requirement and widened types, enums and bounds', () => {
    const next = changed((schema) => {
      Object.assign(schema.properties, { country: { type: 'string' } });
      schema.required = ['user'];
      schema.properties.amount = { type: ['number', 'string'], minimum: -10 } as never;
      schema.properties.currency.enum.push('GBP');
      schema.properties.tags.maxItems = 20;
    });

    expect(backwardIncompatibilities(clicks, next)).toEqual([]);
  });

  it('accepts integer widened to number, and a schema that accepts anything', () => {
    expect(backwardIncompatibilities({ type: 'integer' }, { type: 'number' })).toEqual([]);
    expect(backwardIncompatibilities(clicks, true)).toEqual([]);
    expect(backwardIncompatibilities(clicks, {})).toEqual([]);
  });

  it('refuses a new required field, naming it', () => {
    const next = changed((schema) => schema.required.push('currency'));

    expect(backwardIncompatibilities(clicks, next)).toEqual(['/: property "currency" is now required']);
  });

  it('refuses a removed property, naming its location', () => {
    const next = changed((schema) => delete (schema.properties as Record<string, unknown>).tags);

    expect(backwardIncompatibilities(clicks, next)).toEqual(['/properties/tags: property "tags" removed']);
  });

  it('refuses a narrowed type, also inside arrays', () => {
    const next = changed((schema) => {
      schema.properties.amount.type = 'integer';
      schema.properties.tags.items.type = 'integer';
    });

    expect(backwardIncompatibilities(clicks, next)).toEqual([
      '/properties/amount: type narrowed from number to integer',
      '/properties/tags/items: type narrowed from string to integer',
    ]);
  });

  it('refuses narrowed enums, raised minimums, lowered maximums and added formats or patterns', () => {
    const next = changed((schema) => {
      schema.properties.currency.enum = ['EUR'];
      schema.properties.amount.minimum = 1;
      schema.properties.tags.maxItems = 5;
      Object.assign(schema.properties.user, { format: 'email', pattern: '^u' });
    });

    expect(backwardIncompatibilities(clicks, next)).toEqual([
      '/properties/user: pattern added',
      '/properties/user: format added',
      '/properties/amount: minimum raised from 0 to 1',
      '/properties/currency: enum no longer allows "USD"',
      '/properties/tags: maxItems lowered from 10 to 5',
    ]);
  });

  it('refuses closing the object to additional properties', () => {
    const next = changed((schema) => (schema.additionalProperties = false));

    expect(backwardIncompatibilities(clicks, next)).toEqual(['/: additional properties no longer allowed']);
  });

  it('accepts closing an object that was already closed, and any change to what a closed object never had', () => {
    const closed = { ...clicks, additionalProperties: false };

    expect(
      backwardIncompatibilities(closed, {
        ...closed,
        properties: { ...clicks.properties, x: { type: 'string' } },
      }),
    ).toEqual([]);
  });

  it('refuses a type on a property that had none, and a schema that accepts nothing', () => {
    expect(
      backwardIncompatibilities({ properties: { a: {} } }, { properties: { a: { type: 'string' } } }),
    ).toEqual(['/properties/a: type narrowed from any to string']);
    expect(backwardIncompatibilities(clicks, false)).toEqual(['/: now accepts nothing']);
  });

  it('refuses changes to combinators it cannot reason about, but accepts them unchanged', () => {
    const withOneOf = { ...clicks, oneOf: [{ required: ['user'] }] };

    expect(backwardIncompatibilities(withOneOf, structuredClone(withOneOf))).toEqual([]);
    expect(backwardIncompatibilities(withOneOf, { ...clicks, oneOf: [{ required: ['amount'] }] })).toEqual([
      '/: oneOf changed, and changes to oneOf cannot be checked for compatibility',
    ]);
  });

  it('escapes property names in the pointer as RFC 6901 says', () => {
    expect(
      backwardIncompatibilities(
        { properties: { 'a/b~c': { type: 'number' } } },
        { properties: { 'a/b~c': { type: 'integer' } } },
      ),
    ).toEqual(['/properties/a~1b~0c: type narrowed from number to integer']);
  });
});
