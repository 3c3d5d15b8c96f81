import { avroDefinitionFor } from './avro-definition';

describe(avroDefinitionFor.name, () => {
  it('maps required properties to plain fields and optional ones to nullable fields defaulting to null', () => {
    expect(
      avroDefinitionFor({
        type: 'object',
        required: ['user', 'amount'],
        properties: { user: { type: 'string' }, amount: { type: 'integer' }, score: { type: 'number' } },
      }),
    ).toEqual({
      type: 'record',
      name: 'Payload',
      fields: [
        { name: 'user', type: 'string' },
        { name: 'amount', type: 'long' },
        { name: 'score', type: ['null', 'double'], default: null },
      ],
    });
  });

  it('maps nested objects to named records, arrays to arrays and type lists to unions', () => {
    const avro = avroDefinitionFor({
      type: 'object',
      required: ['device', 'tags', 'value'],
      properties: {
        device: { type: 'object', required: ['os'], properties: { os: { type: 'string' } } },
        tags: { type: 'array', items: { type: 'string' } },
        value: { type: ['number', 'string'] },
      },
    });

    expect(avro.fields).toEqual([
      {
        name: 'device',
        type: { type: 'record', name: 'Payload_device', fields: [{ name: 'os', type: 'string' }] },
      },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'value', type: ['double', 'string'] },
    ]);
  });

  it('leaves out property names Avro forbids and maps untyped values to string', () => {
    const avro = avroDefinitionFor({
      type: 'object',
      properties: { 'user-id': { type: 'string' }, any: {} },
    });

    expect(avro.fields).toEqual([{ name: 'any', type: ['null', 'string'], default: null }]);
  });
});
