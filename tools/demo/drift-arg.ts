import { DRIFT_MODES, DriftMode } from '@gyre/ml';

/** `--drift none|gradual|sudden`; the demo's world drifts suddenly unless told otherwise. */
export function driftArg(argv: readonly string[], fallback: DriftMode = 'sudden'): DriftMode {
  const index = argv.indexOf('--drift');
  if (index < 0) return fallback;
  const value = argv[index + 1];
  if (!DRIFT_MODES.includes(value as DriftMode)) {
    throw new Error(`--drift needs one of ${DRIFT_MODES.join(', ')}, got ${value ?? 'nothing'}`);
  }
  return value as DriftMode;
}
