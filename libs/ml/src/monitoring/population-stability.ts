import { MlError } from '../ml-error';
import { quantile } from '../evaluation/bootstrap';

/** Floor of a bin's share: an empty bin would make the index infinite. */
export const PSI_FLOOR = 1e-4;

/**
 * Population stability index of two binned distributions (shares summing to 1):
 * sum of (actual - expected) * ln(actual / expected). Rules of thumb: < 0.1 stable, 0.1-0.25 a
 * moderate shift, > 0.25 a major one.
 */
export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length || expected.length === 0) {
    throw new MlError('INVALID_ARGUMENT', 'PSI needs two distributions over the same bins');
  }
  let sum = 0;
  for (let i = 0; i < expected.length; i += 1) {
    const e = Math.max(expected[i], PSI_FLOOR);
    const a = Math.max(actual[i], PSI_FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/**
 * PSI of one feature's live values against its reference (training) values, binned at the
 * reference's deciles (fewer bins where values tie, as counts do).
 */
export function populationStability(
  reference: readonly number[],
  actual: readonly number[],
  bins = 10,
): number {
  if (reference.length === 0 || actual.length === 0 || !Number.isInteger(bins) || bins < 2) {
    throw new MlError('INVALID_ARGUMENT', 'PSI needs reference and actual values and at least 2 bins');
  }
  const sorted = [...reference].sort((a, b) => a - b);
  const edges = [...new Set(Array.from({ length: bins - 1 }, (_, k) => quantile(sorted, (k + 1) / bins)))];
  const shares = (values: readonly number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const value of values) counts[binOf(edges, value)] += 1;
    return counts.map((count) => count / values.length);
  };
  return psiFromShares(shares(reference), shares(actual));
}

/** The number of edges strictly below the value: a value on an edge falls in the lower bin. */
function binOf(edges: readonly number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
