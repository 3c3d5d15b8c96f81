import { StreamsError } from '../errors';
import { PayloadValidator, payloadProblems } from './payload-validator';

const validator = new PayloadValidator();
const schema = {
  type: 'object',
  required: ['user', 'amount'],
  additionalProperties: false,
  properties: { user: { type: 'string', format: 'email' }, amount: { type: 'number', minimum: 0 } },
};

function schemaError(candidate: unknown): StreamsError {
  try {
    validator.compile(candidate);
  } catch (error) {
    return error as StreamsError;
  }
  throw new Error('expected the schema to be refused');
}

describe(PayloadValidator.name, () => {
  const validate = validator.compile(schema);

  it('accepts a payload that matches the schema', () => {
    expect(payloadProblems(validate, { user: 'a@example.com', amount: 3 }, '/events/0/payload')).toEqual([]);
  });

  it('names the field of a wrong value, a missing field and an unexpected field by JSON pointer', () => {
    expect(payloadProblems(validate, { user: 'not-an-email', extra: 1 }, '/events/3/payload')).toEqual([
      { pointer: '/events/3/payload/amount', detail: "must have required property 'amount'" },
      { pointer: '/events/3/payload/extra', detail: 'must NOT have additional properties' },
      { pointer: '/events/3/payload/user', detail: 'must match format "email"' },
    ]);
  });

  it('refuses a schema whose payloads are not objects', () => {
    expect(schemaError({ type: 'string' })).toMatchObject({
      code: 'INVALID_SCHEMA',
      problems: [{ pointer: '/schema/type' }],
    });
  });

  it('refuses a schema that is not valid JSON Schema, naming the keyword', () => {
    expect(schemaError({ type: 'object', properties: { a: { type: 'decimal' } } })).toMatchObject({
      code: 'INVALID_SCHEMA',
      retriable: false,
      problems: expect.arrayContaining([expect.objectContaining({ pointer: '/schema/properties/a/type' })]),
    });
  });
});
