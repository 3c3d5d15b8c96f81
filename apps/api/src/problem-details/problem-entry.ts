/**
 * How one error code is answered over HTTP: its status, its type URI (PROBLEM_TYPE_BASE + slug) and title,
 * and, where the error's message carries internals (broker paths, buckets), the detail answered instead.
 * Several codes may share a type when they mean the same to a client; a type always has one status and title.
 */
export interface ProblemEntry {
  status: number;
  slug: string;
  title: string;
  /** Replaces the error's message in the answer; the message itself is logged. */
  detail?: string;
}

/** One entry per code of a domain: a new code without an entry fails the type check. */
export type ProblemEntries<Code extends string> = Readonly<Record<Code, ProblemEntry>>;
