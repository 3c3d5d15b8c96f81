import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FieldProblem, StreamsError } from '../errors';
import { isSchemaObject, JsonSchema } from './json-schema';

// A response naming hundreds of fields helps nobody; the first ones show what is wrong.
const MAX_PROBLEMS_PER_EVENT = 10;

/** Compiles stream schemas (JSON Schema draft-07, formats included) and names every field a payload gets wrong. */
export class PayloadValidator {
  private readonly ajv: Ajv;

  constructor() {
    // strict: false so annotations ajv does not know (x-owner, examples in odd places) do not refuse a schema.
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
  }

  /** Throws INVALID_SCHEMA (with the pointers into the schema) when `schema` is not a usable stream schema. */
  compile(schema: unknown, pointer = '/schema'): ValidateFunction {
    if (!isSchemaObject(schema) || schema.type !== 'object')
      throw new StreamsError(
        'INVALID_SCHEMA',
        'a stream schema must be a JSON Schema object with "type": "object"',
        {
          problems: [
            { pointer: `${pointer}/type`, detail: 'must be "object": each event payload is a JSON object' },
          ],
        },
      );
    if (!this.ajv.validateSchema(schema)) {
      throw new StreamsError('INVALID_SCHEMA', 'the schema is not a valid JSON Schema (draft-07)', {
        problems: (this.ajv.errors ?? []).map((error) => ({
          pointer: `${pointer}${error.instancePath}`,
          detail: error.message ?? 'invalid',
        })),
      });
    }
    try {
      return this.ajv.compile(schema as JsonSchema);
    } catch (error) {
      throw new StreamsError('INVALID_SCHEMA', `the schema cannot be compiled: ${(error as Error).message}`, {
        cause: error,
        problems: [{ pointer, detail: (error as Error).message }],
      });
    }
  }
}

/** The problems of one payload, each pointing at the field under `prefix` (e.g. /events/3/payload). */
export function payloadProblems(
  validate: ValidateFunction,
  payload: unknown,
  prefix: string,
): FieldProblem[] {
  if (validate(payload)) return [];
  return (validate.errors ?? []).slice(0, MAX_PROBLEMS_PER_EVENT).map((error) => ({
    pointer: `${prefix}${error.instancePath}${missingField(error)}`,
    detail: error.message ?? 'invalid',
  }));
}

// A missing or unexpected property is reported at its parent by ajv; the pointer should name the field itself.
function missingField(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const field = params.missingProperty ?? params.additionalProperty;
  return field === undefined ? '' : `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
