import { MlError } from '../ml-error';

/** The serialized form of a LabelRateTable. */
export interface LabelRateSnapshot {
  readonly format: 'gyre.label-rates';
  readonly formatVersion: 1;
  /** Per key: times (ms, ascending) at which a label became known, all labels and fraud labels. */
  readonly keys: Readonly<
    Record<string, { readonly all: readonly number[]; readonly fraud: readonly number[] }>
  >;
}

export interface SmoothedRate {
  /** Smoothed rate: (fraud + strength * prior) / (labels + strength). */
  readonly rate: number;
  readonly labels: number;
}

/**
 * Fraud rates per key (a merchant, a category) learned from labels, answerable as of any time:
 * a label counts only if it became known strictly before that time, whatever order it arrived in.
 */
export class LabelRateTable {
  private readonly keys = new Map<string, { all: number[]; fraud: number[] }>();

  constructor(
    readonly prior: number,
    readonly strength: number,
  ) {
    if (!(prior > 0 && prior < 1) || !(strength > 0)) {
      throw new MlError('INVALID_ARGUMENT', `a label rate needs a prior in (0, 1) and a positive strength`);
    }
  }

  static restore(snapshot: unknown, prior: number, strength: number): LabelRateTable {
    const value = snapshot as Partial<LabelRateSnapshot> | null;
    if (value?.format !== 'gyre.label-rates' || value.formatVersion !== 1 || typeof value.keys !== 'object') {
      throw new MlError('INVALID_FEATURE_STATE', 'not a gyre.label-rates snapshot of format version 1');
    }
    const table = new LabelRateTable(prior, strength);
    for (const [key, times] of Object.entries(value.keys ?? {})) {
      if (!Array.isArray(times?.all) || !Array.isArray(times.fraud)) {
        throw new MlError('INVALID_FEATURE_STATE', `label rates of key ${key} are malformed`);
      }
      table.keys.set(key, { all: [...times.all], fraud: [...times.fraud] });
    }
    return table;
  }

  snapshot(): LabelRateSnapshot {
    const keys: Record<string, { all: number[]; fraud: number[] }> = {};
    for (const key of [...this.keys.keys()].sort()) {
      const times = this.keys.get(key)!;
      keys[key] = { all: [...times.all], fraud: [...times.fraud] };
    }
    return { format: 'gyre.label-rates', formatVersion: 1, keys };
  }

  observe(key: string, fraud: boolean, knownAt: number): void {
    let times = this.keys.get(key);
    if (!times) {
      times = { all: [], fraud: [] };
      this.keys.set(key, times);
    }
    insertSorted(times.all, knownAt);
    if (fraud) insertSorted(times.fraud, knownAt);
  }

  rateAsOf(key: string, time: number): SmoothedRate {
    const times = this.keys.get(key);
    const labels = times ? countBefore(times.all, time) : 0;
    const fraud = times ? countBefore(times.fraud, time) : 0;
    return { rate: (fraud + this.strength * this.prior) / (labels + this.strength), labels };
  }
}

/** Labels mostly arrive in time order, so this is an append; a late label is put in its place. */
function insertSorted(times: number[], time: number): void {
  let index = times.length;
  while (index > 0 && times[index - 1] > time) index -= 1;
  times.splice(index, 0, time);
}

/** Number of entries strictly below `time` (binary search). */
function countBefore(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
