import { DEBIAN_CHROMIUM, findBrowser } from './find-browser';

const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const playwrightAt = (path?: string) => () => path;

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, and nothing else when it names no file', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome' };
    expect(findBrowser(env, only('/opt/chrome/chrome', DEBIAN_CHROMIUM), playwrightAt())).toBe(
      '/opt/chrome/chrome',
    );
    expect(findBrowser(env, only(DEBIAN_CHROMIUM), playwrightAt())).toBeUndefined();
  });

  it("prefers Playwright's own Chromium to Debian's when it was downloaded", () => {
    const own = '/root/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';
    expect(findBrowser({}, only(own, DEBIAN_CHROMIUM), playwrightAt(own))).toBe(own);
    expect(findBrowser({}, only(DEBIAN_CHROMIUM), playwrightAt(own))).toBe(DEBIAN_CHROMIUM);
  });

  it('finds nothing when no browser is installed', () => {
    expect(findBrowser({}, only(), playwrightAt())).toBeUndefined();
  });
});
