import { MessageId } from '@gyre/pulsar';
import { invalidReplay, ReplayProblem } from '../errors';
import { compareEntries, parsePartitionIds } from './positions';
import type { ReplayEnd, ReplayStart } from './replay-spec';

/** Where a job reads on one partition: from `start` (undefined = earliest) to `end` (undefined = nothing). */
export interface PartitionBounds {
  partition: number;
  start: MessageId | undefined;
  end: MessageId | undefined;
}

/**
 * Resolves a request's start and end on every partition, given each partition's last message when the
 * job is created (undefined: the partition is empty). A replay reads history only: no end goes past
 * that last message. Timestamp bounds are applied while reading (by publish time); here they read
 * from the earliest message to the last one.
 */
export function resolvePartitionBounds(
  start: ReplayStart,
  end: ReplayEnd,
  lastAtStart: ReadonlyArray<MessageId | undefined>,
): PartitionBounds[] {
  const partitions = lastAtStart.length;
  const starts =
    start.kind === 'messageIds' ? parsePartitionIds(start.messageIds, partitions, '/start/messageIds') : [];
  const ends =
    end.kind === 'messageIds' ? parsePartitionIds(end.messageIds, partitions, '/end/messageIds') : [];
  const problems: ReplayProblem[] = [];
  const bounds = lastAtStart.map((last, partition) => {
    const from = starts[partition];
    const to = ends[partition];
    if (from && to && compareEntries(to, from) < 0)
      problems.push({
        pointer: `/end/messageIds`,
        detail: `ends before it starts on partition ${partition}`,
      });
    const bounded = last && to && compareEntries(to, last) < 0 ? to : last;
    return { partition, start: from, end: bounded };
  });
  if (problems.length > 0) throw invalidReplay(problems);
  return bounds;
}
