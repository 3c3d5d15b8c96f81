import { GyreError } from '@gyre/errors';

/** One bad setting: the key and a sentence a person can act on. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** The process must not start: every bad setting is listed, not just the first one. */
export class ConfigurationError extends GyreError<'CONFIGURATION_INVALID'> {
  readonly domain = 'config';

  constructor(
    /** Every bad setting, by environment key (not `problems`: those point into a request). */
    readonly settings: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    const lines = settings.map((problem) => `  - ${problem.message}`).join('\n');
    super(
      'CONFIGURATION_INVALID',
      `Invalid configuration (${settings.length} problem${settings.length === 1 ? '' : 's'}):\n${lines}`,
      { cause: options?.cause },
    );
  }
}
