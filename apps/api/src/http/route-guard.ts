import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidRequestException, MethodNotAllowedException } from '../problem-details/problem-details';

// C0 controls and DEL: never part of a stream, subscription or key name, and Postgres refuses NUL outright.
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Checks run on every request before authentication and before any database call: a path parameter
 * holding a control character is 400 invalid-path; a path that a route serves under other methods is
 * 405 method-not-allowed with an Allow header (Fastify itself only knows 404).
 */
export function registerRouteGuard(fastify: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    routes.push({ pattern: patternOf(route.url), methods });
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url === undefined) {
      const path = request.url.split('?')[0];
      const allowed = new Set(
        routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods),
      );
      if (allowed.size > 0) return done(new MethodNotAllowedException(request.method, [...allowed].sort()));
      return done();
    }
    const parameter = controlCharacterParameter(request);
    if (parameter !== undefined)
      return done(
        new InvalidRequestException('invalid-path', 400, 'a path parameter holds a control character', [
          { pointer: `/path/${parameter}`, detail: 'must not contain control characters' },
        ]),
      );
    done();
  });
}

function controlCharacterParameter(request: FastifyRequest): string | undefined {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return Object.keys(params).find((name) => hasControlCharacter(String(params[name])));
}

/** A route URL as find-my-way reads it (`:name` a segment, `::` a literal colon, `*` the rest) as a regex. */
export function patternOf(url: string): RegExp {
  const parts = url.split('::').map((part) =>
    part
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:[A-Za-z0-9_]+/g, '[^/]+')
      .replace(/\*/g, '.*'),
  );
  return new RegExp(`^${parts.join(':')}$`);
}
