import type { ReplayErrorCode } from '@gyre/replay';

/** One stable type URI slug, status and title per replay error code. */
export const REPLAY_PROBLEMS: Record<ReplayErrorCode, { status: number; slug: string; title: string }> = {
  INVALID_REPLAY: { status: 422, slug: 'invalid-replay', title: 'Invalid replay' },
  REPLAY_NOT_FOUND: { status: 404, slug: 'replay-not-found', title: 'Replay not found' },
  REPLAY_STATE_CONFLICT: { status: 409, slug: 'replay-state-conflict', title: 'Replay state refuses this' },
  REPLAY_TARGET_NOT_IMPLEMENTED: {
    status: 501,
    slug: 'replay-target-not-implemented',
    title: 'Replay target not implemented',
  },
  REPLAY_SOURCE_UNAVAILABLE: {
    status: 503,
    slug: 'replay-source-unavailable',
    title: 'Source stream unavailable',
  },
  REPLAY_TARGET_UNAVAILABLE: {
    status: 503,
    slug: 'replay-target-unavailable',
    title: 'Target stream unavailable',
  },
};
