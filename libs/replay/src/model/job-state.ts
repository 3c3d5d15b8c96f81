import type { ReplayJobState } from '@gyre/database';
import { ReplayError } from '../errors';

export type ReplayAction = 'pause' | 'resume' | 'cancel';

/**
 * The operator's transitions. `resume` puts a paused job back to pending, so any worker may claim it;
 * finished jobs (completed, cancelled, failed) accept nothing. Workers move pending to running and
 * running to completed or failed through their own (leased) updates.
 */
const TRANSITIONS: Record<ReplayAction, Partial<Record<ReplayJobState, ReplayJobState>>> = {
  pause: { pending: 'paused', running: 'paused' },
  resume: { paused: 'pending' },
  cancel: { pending: 'cancelled', running: 'cancelled', paused: 'cancelled' },
};

export const FINISHED_STATES: readonly ReplayJobState[] = ['completed', 'cancelled', 'failed'];

/** The state after `action`, or REPLAY_STATE_CONFLICT naming why the job refuses it. */
export function nextState(current: ReplayJobState, action: ReplayAction): ReplayJobState {
  const next = TRANSITIONS[action][current];
  if (!next)
    throw new ReplayError(
      'REPLAY_STATE_CONFLICT',
      `a ${current} replay cannot be ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}`,
    );
  return next;
}
