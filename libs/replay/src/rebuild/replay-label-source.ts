/**
 * Where a feature rebuild finds the labels of the events it replayed: the loop that owns the labels
 * supplies it (the fraud example provides one over its label table). Without one, rebuilt training rows
 * carry a null label, to be joined later.
 */
export abstract class ReplayLabelSource {
  /** The labels of these events as known now (e.g. 1 fraud, 0 legit), by event id; unknown ones left out. */
  abstract labelsOf(pipeline: string, eventIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}
