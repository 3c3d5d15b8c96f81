import type { StageContext, StageEvent } from '@gyre/pipelines';

/** A handler's context in unit specs: pipeline "loop", first attempt, the given parameters. */
export function loopContext(parameters: Record<string, unknown> = {}): StageContext {
  return {
    pipeline: 'loop',
    stage: 'stage',
    attempt: 1,
    parameters,
    signal: new AbortController().signal,
  };
}

export function loopEvent<T>(payload: T, id = 'evt-1', epoch?: string): StageEvent<T> {
  return { id, key: undefined, epoch, payload, eventTime: 0, properties: {} };
}
