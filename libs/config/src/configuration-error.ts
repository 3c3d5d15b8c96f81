/** One bad setting: the key and a sentence a person can act on. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** The process must not start: every bad setting is listed, not just the first one. */
export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION_INVALID';
  readonly retriable = false;

  constructor(
    readonly problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    const lines = problems.map((problem) => `  - ${problem.message}`).join('\n');
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`,
      options,
    );
    this.name = 'ConfigurationError';
  }
}
