/** Scores feature vectors: the built-in model in process, or an external model server. */
export interface Scorer {
  /** What predictions are tagged with, e.g. `fraud-v3` or `kserve:fraud/2`. */
  readonly modelVersion: string;
  /** Fraud probabilities, one per vector, in order. Vectors follow the model's feature definition. */
  score(vectors: readonly (readonly number[])[], options?: { signal?: AbortSignal }): Promise<number[]>;
}
