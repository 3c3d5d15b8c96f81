// Finds the Chromium the console's browser tests drive: CHROMIUM_PATH, Playwright's own build if one was
// installed, or Debian's /usr/bin/chromium. Plain JavaScript: tools/setup.js uses it too.
'use strict';
const { existsSync } = require('node:fs');

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const MISSING =
  "no Chromium for the console's browser tests: set CHROMIUM_PATH, or install Debian's package (apt-get install -y chromium)";

/** Playwright's own Chromium, when playwright-core is installed and its browser was downloaded. */
function playwrightChromium() {
  try {
    return require('playwright-core').chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** The first browser that exists, in order of preference; undefined when there is none. */
function findBrowser(env = process.env, exists = existsSync, playwright = playwrightChromium) {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return [playwright(), DEBIAN_CHROMIUM].find((candidate) => candidate !== undefined && exists(candidate));
}

module.exports = { findBrowser, DEBIAN_CHROMIUM, MISSING };
