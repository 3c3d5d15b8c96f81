import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AccessRequirement,
  ApiKeyRateLimiter,
  ApiKeyService,
  AuthenticatedKey,
  AuthError,
  authorize,
} from '@gyre/auth';
import { HealthController } from '@gyre/health';
import { ACCESS_METADATA, EndpointAccess } from './access.decorator';

/** Controllers of other libraries that answer without a key (their classes cannot carry @Public()). */
const OPEN_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController]);
const BEARER = /^Bearer +(\S+) *$/i;

/** The parts of Fastify's request used here. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  params: unknown;
  /** Set before the body is read (authenticateBeforeBody) or by ApiKeyGuard, on every endpoint needing a key. */
  apiKey?: AuthenticatedKey;
}

/**
 * Fastify onRequest hook: a request carrying a body is authenticated before the body is read, so an
 * unauthenticated upload is refused (401) without receiving it. Every route that takes a body needs a key
 * (the public ones, /health, /metrics and /docs, are GETs); unknown routes are left to their 404.
 */
export async function authenticateBeforeBody(
  keys: ApiKeyService,
  request: AuthenticatedRequest & { is404: boolean },
): Promise<void> {
  const { headers } = request;
  const carriesBody =
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  if (!carriesBody || request.is404) return;
  request.apiKey = await keys.authenticate(bearerToken(headers.authorization));
}

/**
 * Every route: authenticates the bearer key (401), counts it against its rate limit (429), then checks
 * its role and scope against the endpoint's access (403). Swagger's /docs routes never reach Nest guards.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly limiter: ApiKeyRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<EndpointAccess | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access?.kind === 'public' || OPEN_CONTROLLERS.has(context.getClass())) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.apiKey ?? (await this.keys.authenticate(bearerToken(request.headers.authorization)));
    // After authentication: a forged key must not drain the bucket of the key id it names.
    this.limiter.take(key.id);
    authorize(key, requirementOf(access, request));
    request.apiKey = key;
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '')
    throw new AuthError('API_KEY_MISSING', 'an API key is required: Authorization: Bearer <key>');
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match) throw new AuthError('API_KEY_MALFORMED', 'the Authorization header must be "Bearer <key>"');
  return match[1];
}

function requirementOf(access: EndpointAccess | undefined, request: AuthenticatedRequest): AccessRequirement {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  if (access?.kind === 'read')
    return { kind: 'read', stream: access.streamParam ? (params[access.streamParam] ?? '') : undefined };
  if (access?.kind !== 'stream') return { kind: 'admin' };
  return { kind: 'stream', role: access.role, stream: params[access.streamParam] ?? '' };
}
