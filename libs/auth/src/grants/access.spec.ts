import { AuthError } from '../errors';
import { AccessRequirement, AuthenticatedKey, authorize } from './access';

const key = (role: AuthenticatedKey['role'], scope: AuthenticatedKey['scope'] = { kind: 'all' }) => ({
  id: 'k1',
  name: 'test',
  role,
  scope,
});
const publish = (stream: string): AccessRequirement => ({ kind: 'stream', role: 'producer', stream });
const codeOf = (run: () => void) => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
};

describe(authorize.name, () => {
  it('lets an admin key do anything', () => {
    expect(codeOf(() => authorize(key('admin'), { kind: 'admin' }))).toBe('allowed');
    expect(codeOf(() => authorize(key('admin'), publish('clicks')))).toBe('allowed');
  });

  it('lets a producer publish to a stream in its scope only', () => {
    const producer = key('producer', { kind: 'streams', streams: ['clicks'] });

    expect(codeOf(() => authorize(producer, publish('clicks')))).toBe('allowed');
    expect(codeOf(() => authorize(producer, publish('views')))).toBe('STREAM_OUT_OF_SCOPE');
  });

  it('refuses admin endpoints to producers and consumers', () => {
    expect(codeOf(() => authorize(key('producer'), { kind: 'admin' }))).toBe('ROLE_FORBIDDEN');
    expect(codeOf(() => authorize(key('consumer'), { kind: 'admin' }))).toBe('ROLE_FORBIDDEN');
  });

  it('keeps consumers and producers to their own endpoints, whatever the scope', () => {
    expect(codeOf(() => authorize(key('consumer'), publish('clicks')))).toBe('ROLE_FORBIDDEN');
    expect(
      codeOf(() => authorize(key('producer'), { kind: 'stream', role: 'consumer', stream: 'clicks' })),
    ).toBe('ROLE_FORBIDDEN');
  });

  it('lets every role read, but only the streams in its scope', () => {
    const consumer = key('consumer', { kind: 'prefix', prefix: 'clicks' });

    expect(codeOf(() => authorize(consumer, { kind: 'read' }))).toBe('allowed');
    expect(codeOf(() => authorize(key('producer'), { kind: 'read', stream: 'views' }))).toBe('allowed');
    expect(codeOf(() => authorize(consumer, { kind: 'read', stream: 'clicks.eu' }))).toBe('allowed');
    expect(codeOf(() => authorize(consumer, { kind: 'read', stream: 'views' }))).toBe('STREAM_OUT_OF_SCOPE');
  });
});
