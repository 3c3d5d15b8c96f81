import type { ReplayErrorCode } from '@gyre/replay';
import type { ProblemEntries } from './problem-entry';

/** One stable type URI slug, status and title per replay error code. */
export const REPLAY_PROBLEMS: ProblemEntries<ReplayErrorCode> = {
  INVALID_REPLAY: { status: 422, slug: 'invalid-replay', title: 'Invalid replay' },
  REPLAY_NOT_FOUND: { status: 404, slug: 'replay-not-found', title: 'Replay not found' },
  REPLAY_STATE_CONFLICT: { status: 409, slug: 'replay-state-conflict', title: 'Replay state refuses this' },
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
  REPLAY_EXPORT_MISMATCH: {
    status: 422,
    slug: 'replay-export-mismatch',
    title: "An event does not fit the export's columns",
  },
  REPLAY_STAGE_NOT_RUNNABLE: {
    status: 503,
    slug: 'replay-stage-not-runnable',
    title: 'No worker can run this stage',
  },
  INVALID_FEATURE_VERSION_SWITCH: {
    status: 422,
    slug: 'invalid-feature-version-switch',
    title: 'Invalid feature version switch',
  },
  STAGE_NOT_FOUND: { status: 404, slug: 'stage-not-found', title: 'Stage not found' },
};
