import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard';
import type { AuthenticatedKey } from '@gyre/auth';

/** The actor recorded in the audit log: the id of the API key that made the request. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const key = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  // Only a public endpoint lacks a key, and public endpoints change nothing: this is a programming error.
  if (!key) throw new Error('@Actor() used on an endpoint that does not authenticate its caller');
  return key.id;
});

/** The authenticated key of the request, for endpoints that answer according to its role and scope. */
export const CallerKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedKey => {
    const key = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
    if (!key) throw new Error('@CallerKey() used on an endpoint that does not authenticate its caller');
    return key;
  },
);
