/** Types of tools/find-browser.js (plain JavaScript, shared with tools/setup.js). */
export const DEBIAN_CHROMIUM: string;
export const MISSING: string;
export function findBrowser(
  env?: Record<string, string | undefined>,
  exists?: (path: string) => boolean,
  playwright?: () => string | undefined,
): string | undefined;
