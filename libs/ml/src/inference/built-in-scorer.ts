import type { LogisticModel } from '../model/logistic-model';
import { scoreVector } from '../model/logistic-model';
import type { Scorer } from './scorer';

/** Scores with a model trained by Gyre, in process. */
export class BuiltInScorer implements Scorer {
  constructor(
    readonly model: LogisticModel,
    readonly modelVersion: string,
  ) {}

  score(vectors: readonly (readonly number[])[]): Promise<number[]> {
    try {
      return Promise.resolve(vectors.map((vector) => scoreVector(this.model, vector)));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
