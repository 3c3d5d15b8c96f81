import { AuthError } from '../errors';
import { ApiKeyDefinition, checkDefinition, scopeAllows } from './grants';

describe(scopeAllows.name, () => {
  it('lets an "all" scope reach every stream', () => {
    expect(scopeAllows({ kind: 'all' }, 'clicks')).toBe(true);
  });

  it('lets a list scope reach exactly the listed streams', () => {
    const scope = { kind: 'streams', streams: ['clicks', 'views'] } as const;

    expect(scopeAllows({ ...scope, streams: [...scope.streams] }, 'views')).toBe(true);
    expect(scopeAllows({ ...scope, streams: [...scope.streams] }, 'click')).toBe(false);
    expect(scopeAllows({ ...scope, streams: [...scope.streams] }, 'clicks-eu')).toBe(false);
  });

  it('lets a prefix scope reach the streams whose name starts with it, and no other', () => {
    const scope = { kind: 'prefix', prefix: 'ranking.' } as const;

    expect(scopeAllows(scope, 'ranking.clicks')).toBe(true);
    expect(scopeAllows(scope, 'ranking.')).toBe(true);
    expect(scopeAllows(scope, 'ranking')).toBe(false);
    expect(scopeAllows(scope, 'ads.ranking.clicks')).toBe(false);
  });
});

describe(checkDefinition.name, () => {
  const problemsOf = (definition: unknown) => {
    try {
      checkDefinition(definition as ApiKeyDefinition);
    } catch (error) {
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'INVALID_API_KEY_DEFINITION', retriable: false });
      return (error as AuthError).problems.map((problem) => problem.pointer);
    }
    return [];
  };

  it('accepts each role with a fitting scope', () => {
    expect(problemsOf({ name: 'ops', role: 'admin', scope: { kind: 'all' } })).toEqual([]);
    expect(problemsOf({ name: 'ci', role: 'producer', scope: { kind: 'streams', streams: ['a'] } })).toEqual(
      [],
    );
    expect(
      problemsOf({ name: 'w', role: 'consumer', scope: { kind: 'prefix', prefix: 'ranking.' } }),
    ).toEqual([]);
  });

  it('names every field at fault: blank name, unknown role, bad stream names', () => {
    expect(
      problemsOf({ name: ' ', role: 'root', scope: { kind: 'streams', streams: ['ok', 'Not OK'] } }),
    ).toEqual(['/name', '/role', '/scope/streams/1']);
  });

  it('refuses an empty stream list, a blank prefix and an unknown scope kind', () => {
    expect(problemsOf({ name: 'a', role: 'producer', scope: { kind: 'streams', streams: [] } })).toEqual([
      '/scope/streams',
    ]);
    expect(problemsOf({ name: 'a', role: 'producer', scope: { kind: 'prefix', prefix: '' } })).toEqual([
      '/scope/prefix',
    ]);
    expect(problemsOf({ name: 'a', role: 'producer', scope: { kind: 'everything' } })).toEqual([
      '/scope/kind',
    ]);
  });

  it('refuses an admin key with a narrower scope than all streams', () => {
    expect(problemsOf({ name: 'a', role: 'admin', scope: { kind: 'prefix', prefix: 'x' } })).toEqual([
      '/scope',
    ]);
  });
});
