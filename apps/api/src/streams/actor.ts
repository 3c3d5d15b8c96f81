import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Header naming who makes an admin change, until API keys exist (issue 4, Security): not authenticated. */
export const ACTOR_HEADER = 'x-gyre-actor';
const ANONYMOUS = 'anonymous';

/** The actor recorded in the audit log: the X-Gyre-Actor header, trimmed and bounded, or "anonymous". */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
    ACTOR_HEADER
  ];
  const actor = typeof value === 'string' ? value.trim().slice(0, 200) : '';
  return actor === '' ? ANONYMOUS : actor;
});
