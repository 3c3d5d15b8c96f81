import { ErrorProblem, GyreError } from '@gyre/errors';
import { PulsarClientError } from '@gyre/pulsar';
import {
  CONFIG_PROBLEMS,
  DATASET_PROBLEMS,
  ML_PROBLEMS,
  PULSAR_ADMIN_PROBLEMS,
  PULSAR_PROBLEMS,
  STORAGE_PROBLEMS,
} from './adapter-problems';
import { AUTH_PROBLEMS } from './auth-problems';
import { PIPELINE_PROBLEMS } from './pipeline-problems';
import type { ProblemEntry } from './problem-entry';
import { REPLAY_PROBLEMS } from './replay-problems';
import { STREAMS_PROBLEMS } from './streams-problems';

/**
 * How every lib's error codes are answered over HTTP, by the error's `domain`, then its `code`. Statuses and
 * type URIs are HTTP, so they live at the HTTP edge; the libs only name their codes.
 */
export const PROBLEM_REGISTRY: Readonly<Record<string, Readonly<Record<string, ProblemEntry>>>> = {
  streams: STREAMS_PROBLEMS,
  auth: AUTH_PROBLEMS,
  pipelines: PIPELINE_PROBLEMS,
  replay: REPLAY_PROBLEMS,
  ml: ML_PROBLEMS,
  storage: STORAGE_PROBLEMS,
  dataset: DATASET_PROBLEMS,
  'pulsar-admin': PULSAR_ADMIN_PROBLEMS,
  pulsar: PULSAR_PROBLEMS,
  config: CONFIG_PROBLEMS,
};

/** What the registry and the answer need of an error: a GyreError, or the standalone Pulsar client's. */
export interface CodedError {
  domain: string;
  code: string;
  message: string;
  retriable: boolean;
  problems: readonly ErrorProblem[];
  retryAfterSeconds: number | undefined;
}

export function codedErrorOf(exception: unknown): CodedError | undefined {
  if (exception instanceof GyreError) return exception;
  // libs/pulsar imports nothing of Gyre, so its errors do not extend GyreError; they have the same shape.
  if (exception instanceof PulsarClientError)
    return {
      domain: 'pulsar',
      code: exception.code,
      message: exception.message,
      retriable: exception.retriable,
      problems: [],
      retryAfterSeconds: undefined,
    };
  return undefined;
}

/** The entry of a domain's code; none for a code nobody registered (answered as a bug: 500). */
export function problemEntryOf(domain: string, code: string): ProblemEntry | undefined {
  const entries = Object.hasOwn(PROBLEM_REGISTRY, domain) ? PROBLEM_REGISTRY[domain] : undefined;
  return entries && Object.hasOwn(entries, code) ? entries[code] : undefined;
}

/** Every entry once, for documentation and tests. */
export function registeredProblems(): { domain: string; code: string; entry: ProblemEntry }[] {
  return Object.entries(PROBLEM_REGISTRY).flatMap(([domain, entries]) =>
    Object.entries(entries).map(([code, entry]) => ({ domain, code, entry })),
  );
}
