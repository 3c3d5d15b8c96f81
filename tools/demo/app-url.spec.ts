import { appUrl } from './app-url';

describe(appUrl.name, () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:3000'],
    ['0.0.0.0', 'http://127.0.0.1:3000'],
    ['::', 'http://[::1]:3000'],
    ['fd00::1', 'http://[fd00::1]:3000'],
    ['gyre.internal', 'http://gyre.internal:3000'],
  ])('reaches an app listening on %s at %s', (host, url) => {
    expect(appUrl(host, 3000)).toBe(url);
  });
});
