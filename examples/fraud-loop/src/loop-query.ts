import type { PipeTransform } from '@nestjs/common';
import { MlError } from '@gyre/ml';

/**
 * The parameters of the loop's admin reads (monitoring, epochs, lineage): anything malformed is an
 * INVALID_LOOP_QUERY MlError naming the parameter by pointer (/query/<name> or /path/<name>), answered as
 * 400 invalid-loop-query by the problem registry.
 */
export type ParameterPlace = 'query' | 'path';

export const MAX_PARAMETER_INTEGER = 2 ** 31 - 1;

export function invalidLoopQuery(
  place: ParameterPlace,
  name: string,
  detail: string,
  cause?: unknown,
): MlError {
  return new MlError('INVALID_LOOP_QUERY', `${place} parameter ${name} ${detail}`, {
    cause,
    problems: [{ pointer: `/${place}/${name}`, detail }],
  });
}

/** The pipeline query parameter every loop read needs. */
export function requiredPipeline(pipeline: string | undefined): string {
  if (pipeline === undefined || pipeline === '')
    throw invalidLoopQuery('query', 'pipeline', 'is required: the loop pipeline, e.g. fraud-demo-<run>');
  return pipeline;
}

/** A decimal integer in [min, max]; undefined when absent. */
export function optionalInteger(
  name: string,
  value: string | undefined,
  min: number,
  max = MAX_PARAMETER_INTEGER,
  place: ParameterPlace = 'query',
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max))
    throw invalidLoopQuery(place, name, `must be an integer in [${min}, ${max}]`);
  return parsed;
}

/** One of the given words; `fallback` when absent. */
export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw invalidLoopQuery('query', name, `must be one of ${allowed.map((word) => `"${word}"`).join(', ')}`);
  return value as T;
}

/** A path parameter that is a positive integer (an epoch, a model version), instead of Nest's ParseIntPipe. */
export class PositiveIntegerParam implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    return optionalInteger(this.name, value, 1, MAX_PARAMETER_INTEGER, 'path')!;
  }
}
