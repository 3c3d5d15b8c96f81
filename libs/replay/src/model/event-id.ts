import { createHash } from 'node:crypto';

/**
 * The gyre-event-id of a replayed event: a hash of the job and the source message's position, so
 * replaying the same message again in the same job (a resume after a crash) yields the same id and
 * idempotent sinks drop the repeat, while another job's copy of it is a distinct event.
 * Fields are length-prefixed so no two different sources collide by concatenation.
 */
export function replayEventId(jobId: string, sourcePosition: string): string {
  const hash = createHash('sha256').update('gyre-replay;');
  for (const field of [jobId, sourcePosition]) hash.update(`${Buffer.byteLength(field)}:${field};`);
  return hash.digest('hex').slice(0, 32);
}
