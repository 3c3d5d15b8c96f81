import { ApiError } from './api';
import type { Session } from './session';

/** What a page gets to draw itself: the session, its route parameters and a way to refresh on a period. */
export interface PageContext {
  session: Session;
  params: string[];
  main: HTMLElement;
  /** Runs `refresh` now and every `ms` until the operator leaves the page. */
  every(ms: number, refresh: () => Promise<void>): void;
  /** A message in the page's live region (read out by screen readers). */
  notify(message: string, kind?: 'ok' | 'error'): void;
}

export type Page = (context: PageContext) => void | Promise<void>;

/** The problem's title and detail as one line, for the live region. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError)
    return `${error.status} ${error.title}${error.detail ? `: ${error.detail}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
