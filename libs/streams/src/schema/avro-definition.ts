import { isSchemaObject, JsonSchema } from './json-schema';

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRIMITIVES: Record<string, string> = {
  string: 'string',
  integer: 'long',
  number: 'double',
  boolean: 'boolean',
  null: 'null',
};

type AvroType = string | Record<string, unknown> | AvroType[];

/**
 * The Avro record definition Pulsar's JSON schema type expects (SchemaInfo.schema is "the schema data in
 * AVRO JSON format"), derived from a stream's JSON Schema so Pulsar-native consumers see field names and
 * types. JSON Schema stays the contract Gyre validates with; this is a projection of it: optional
 * properties become ["null", T] with default null, integer becomes long, and what Avro cannot express
 * (combinators, untyped values, property names Avro forbids) becomes string or is left out.
 */
export function avroDefinitionFor(schema: JsonSchema, name = 'Payload'): Record<string, unknown> {
  return record(isSchemaObject(schema) ? schema : {}, name);
}

function record(schema: Record<string, unknown>, name: string): Record<string, unknown> {
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields = Object.entries(properties)
    .filter(([field]) => AVRO_NAME.test(field))
    .map(([field, fieldSchema]) => {
      const type = avroType(fieldSchema as JsonSchema, `${name}_${field}`);
      return required.has(field)
        ? { name: field, type }
        : { name: field, type: union(['null', ...(Array.isArray(type) ? type : [type])]), default: null };
    });
  return { type: 'record', name, fields };
}

function avroType(schema: JsonSchema, name: string): AvroType {
  if (!isSchemaObject(schema) || schema.type === undefined) return 'string';
  const types = Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)];
  const mapped = types.map((type): AvroType => {
    if (type === 'object') return record(schema, name);
    if (type === 'array')
      return { type: 'array', items: avroType((schema.items ?? true) as JsonSchema, `${name}_item`) };
    return PRIMITIVES[type] ?? 'string';
  });
  return mapped.length === 1 ? mapped[0] : union(mapped);
}

// Avro unions hold each type once and never nest.
function union(types: AvroType[]): AvroType[] {
  const seen = new Set<string>();
  return types
    .flatMap((type) => (Array.isArray(type) ? type : [type]))
    .filter((type) => {
      const id = typeof type === 'string' ? type : JSON.stringify(type);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}
