import Ajv, { ValidateFunction } from 'ajv';
import { InvalidRequestException } from '../problem-details/problem-details';

const ajv = new Ajv({ allErrors: true });

/** A checker for one request body shape; refuses with 400 naming every field at fault. */
export function bodyValidator<T>(schema: object): (body: unknown) => T {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body) => {
    if (validate(body)) return body as T;
    throw new InvalidRequestException(
      'invalid-request',
      400,
      'the request body is invalid',
      (validate.errors ?? []).map((error) => {
        const field = error.params as { missingProperty?: string; additionalProperty?: string };
        const name = field.missingProperty ?? field.additionalProperty;
        return {
          pointer: `${error.instancePath}${name ? `/${name}` : ''}`,
          detail: error.message ?? 'invalid',
        };
      }),
    );
  };
}
