import { DEFAULT_OUTCOME_DELAYS, OutcomeDelays } from '@gyre/ml';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The demo's outcome delay presets: how long until fraud is reported or charged back, and legit settles. */
export const LABEL_DELAYS: Readonly<Record<string, OutcomeDelays>> = {
  fast: {
    cardholderReportShare: 0.4,
    cardholderReportMedianMs: HOUR,
    chargebackMedianMs: DAY,
    settlementMs: 6 * HOUR,
  },
  default: DEFAULT_OUTCOME_DELAYS,
  slow: {
    cardholderReportShare: 0.2,
    cardholderReportMedianMs: DAY,
    chargebackMedianMs: 10 * DAY,
    settlementMs: 5 * DAY,
  },
};

/** `--label-delays fast|default|slow` (default: DEFAULT_OUTCOME_DELAYS). */
export function labelDelaysArg(argv: readonly string[]): { name: string; delays: OutcomeDelays } {
  const index = argv.indexOf('--label-delays');
  if (index < 0) return { name: 'default', delays: DEFAULT_OUTCOME_DELAYS };
  const name = argv[index + 1];
  if (name === undefined || !Object.hasOwn(LABEL_DELAYS, name))
    throw new Error(
      `--label-delays needs one of ${Object.keys(LABEL_DELAYS).join(', ')}, got ${name ?? 'nothing'}`,
    );
  return { name, delays: LABEL_DELAYS[name] };
}
