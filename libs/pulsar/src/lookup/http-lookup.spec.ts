import { parseHttpServiceUrl, restTopicPath } from './http-lookup';

describe('parseHttpServiceUrl', () => {
  it('reads one or several web-service hosts, default ports and trailing slashes included', () => {
    expect(parseHttpServiceUrl('http://127.0.0.1:8080/')).toEqual(['http://127.0.0.1:8080']);
    expect(parseHttpServiceUrl('HTTPS://b1:8443,b2:8443')).toEqual(['https://b1:8443', 'https://b2:8443']);
    expect(parseHttpServiceUrl('http://broker')).toEqual(['http://broker']);
  });

  it('refuses a URL with no host or another scheme as InvalidUrl', () => {
    expect(() => parseHttpServiceUrl('http://')).toThrow(/^InvalidConfiguration: InvalidUrl/);
    expect(() => parseHttpServiceUrl('http://a b:80')).toThrow(/InvalidUrl/);
    expect(() => parseHttpServiceUrl('pulsar://broker:6650')).toThrow(/InvalidUrl/);
  });
});

describe('restTopicPath', () => {
  it('turns full and short topic names into the REST path, the local name URL-encoded', () => {
    expect(restTopicPath('persistent://t/ns/orders')).toBe('persistent/t/ns/orders');
    expect(restTopicPath('orders')).toBe('persistent/public/default/orders');
    expect(restTopicPath('non-persistent://t/ns/a b')).toBe('non-persistent/t/ns/a%20b');
  });
});
