import { ReplayError } from '../errors';
import { nextState } from './job-state';

describe(nextState.name, () => {
  it('pauses pending and running jobs, resumes paused ones to pending, cancels any unfinished job', () => {
    expect(nextState('pending', 'pause')).toBe('paused');
    expect(nextState('running', 'pause')).toBe('paused');
    expect(nextState('paused', 'resume')).toBe('pending');
    for (const state of ['pending', 'running', 'paused'] as const)
      expect(nextState(state, 'cancel')).toBe('cancelled');
  });

  it('refuses to resume a job that is not paused, and any change to a finished job, as a state conflict', () => {
    for (const [state, action] of [
      ['running', 'resume'],
      ['paused', 'pause'],
      ['completed', 'pause'],
      ['cancelled', 'resume'],
      ['failed', 'cancel'],
    ] as const) {
      expect(() => nextState(state, action)).toThrow(ReplayError);
      expect(() => nextState(state, action)).toThrow(
        expect.objectContaining({ code: 'REPLAY_STATE_CONFLICT' }),
      );
    }
  });
});
