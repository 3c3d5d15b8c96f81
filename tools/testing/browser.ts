import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
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

/**
 * A fresh context (its own session storage) on the console at `base`, signed in with `secret`; every message
 * about the Content-Security-Policy goes to `cspViolations`, for the test to assert none came.
 */
export async function consoleSignedIn(
  browser: Browser,
  base: string,
  secret: string,
  options: { width?: number; cspViolations?: string[] } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) options.cspViolations?.push(message.text());
  });
  await page.goto(`${base}/console/`);
  await page.getByLabel('API key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');

/** The page as a PNG in docs/console/, only with CONSOLE_SCREENSHOTS=1 (so npm test leaves the tree clean). */
export async function consoleScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS === '1')
    await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}
