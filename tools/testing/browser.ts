import { Browser, chromium } from 'playwright-core';
import { findBrowser, MISSING } from '../find-browser';

/**
 * A headless Chromium for the console's browser tests (one per test file): the one tools/setup.js found
 * or installed. Fails with one line naming what to do when there is none.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findBrowser();
  if (executablePath === undefined) throw new Error(MISSING);
  // Chromium's sandbox refuses to start as root (CI runs as root); the pages are Gyre's own.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, args, headless: true });
}
