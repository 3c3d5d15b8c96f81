import { javaStringHash, LETTER_PROPERTIES, PROPERTY_REAL_TOPIC } from '@gyre/pulsar';
import { EVENT_PROPERTIES } from '@gyre/streams';

/** A dead letter as the redrive sees it (read from the DLQ by its redrive subscription). */
export interface DeadLetter {
  /** Position in the DLQ, `ledger:entry:partition[:batchIndex]`: the identity the redrive keys on. */
  id: string;
  key?: string;
  properties: Record<string, string>;
}

/** What Postgres remembers of an earlier redrive of a dead letter. */
export interface RedriveRecord {
  deadLetterId: string;
  partition: number;
  sequenceId: number;
  state: 'pending' | 'published';
}

export interface RedriveStep {
  letter: DeadLetter;
  partition: number;
  sequenceId: number;
  /** publish then acknowledge; `acknowledge` only: it reached the stream before, only its ack was lost. */
  action: 'publish' | 'acknowledge';
  /** True when the step needs a new record (first attempt). */
  isNew: boolean;
}

/**
 * Orders a redrive so the broker's deduplication can make it exactly-once. Sequence ids of the redrive
 * producer only grow: pending records of an interrupted redrive are resent first, with their recorded
 * partition and sequence id (the broker drops those that had landed), then new letters get the next ids
 * in DLQ order. Letters already published are only acknowledged. `selected` (DLQ ids) limits the new work;
 * pending ones are always finished, whatever the selection.
 */
export function planRedrive(input: {
  letters: readonly DeadLetter[];
  records: readonly RedriveRecord[];
  selected?: ReadonlySet<string>;
  partitions: number;
  sourceTopic: string;
}): RedriveStep[] {
  const records = new Map(input.records.map((record) => [record.deadLetterId, record]));
  const pending: RedriveStep[] = [];
  const acknowledge: RedriveStep[] = [];
  const fresh: RedriveStep[] = [];
  let next = input.records.reduce((max, record) => Math.max(max, record.sequenceId), -1) + 1;
  for (const letter of input.letters) {
    const record = records.get(letter.id);
    if (record?.state === 'published')
      acknowledge.push({
        letter,
        partition: record.partition,
        sequenceId: record.sequenceId,
        action: 'acknowledge',
        isNew: false,
      });
    else if (record)
      pending.push({
        letter,
        partition: record.partition,
        sequenceId: record.sequenceId,
        action: 'publish',
        isNew: false,
      });
    else if (!input.selected || input.selected.has(letter.id))
      fresh.push({
        letter,
        partition: targetPartition(letter, input.partitions, input.sourceTopic),
        sequenceId: -1,
        action: 'publish',
        isNew: true,
      });
  }
  pending.sort((a, b) => a.sequenceId - b.sequenceId);
  for (const step of fresh) step.sequenceId = next++;
  return [...pending, ...acknowledge, ...fresh];
}

/**
 * The partition a dead letter goes back to, fixed when first planned so a resend lands where the
 * broker can recognise it: a keyed letter where the producer would route its key; a keyless one to the
 * partition it came from (REAL_TOPIC) when that is a partition of the stream, else partition 0.
 */
export function targetPartition(letter: DeadLetter, partitions: number, sourceTopic: string): number {
  if (letter.key) return javaStringHash(letter.key) % partitions;
  const real = letter.properties[PROPERTY_REAL_TOPIC] ?? '';
  const match = real.startsWith(`${sourceTopic}-partition-`) ? /-partition-(\d+)$/.exec(real) : null;
  const partition = match ? Number(match[1]) : 0;
  return partition < partitions ? partition : 0;
}

/**
 * Properties the dead-lettering added are dropped: Pulsar's letter bookkeeping (REAL_TOPIC,
 * REAL_SUBSCRIPTION, ORIGIN_MESSAGE_ID and its legacy twin, RECONSUMETIMES, DELAY_TIME, RETRY_TOPIC) and
 * Gyre's failure record; the event's own properties go back as they were. The redrive adds
 * gyre-redriven-from (docs/api.md).
 */
const DEAD_LETTER_PROPERTIES = new Set<string>([
  ...LETTER_PROPERTIES,
  EVENT_PROPERTIES.failureReason,
  EVENT_PROPERTIES.failureCode,
  EVENT_PROPERTIES.attempts,
  EVENT_PROPERTIES.stage,
]);

export function republishedProperties(letter: DeadLetter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(letter.properties).filter(([name]) => !DEAD_LETTER_PROPERTIES.has(name)),
  );
}
