import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';

/**
 * Scripts and styles from this origin only, no inline script or style element, no framing; the pages
 * call this API only (connect-src 'self'). uPlot sizes its canvas through the CSSOM, which CSP allows.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run setup` builds the console (apps/console/dist), from source or from the repo root. */
export function consoleRoot(): string | undefined {
  const candidates = [
    resolve(__dirname, '../../../console/dist'),
    resolve(process.cwd(), 'apps/console/dist'),
  ];
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
}

/** Serves the operator console's static build at /console/ with its Content-Security-Policy. */
export async function serveConsole(app: NestFastifyApplication, logger: LoggerService): Promise<void> {
  const root = consoleRoot();
  if (root === undefined) {
    logger.warn({ msg: 'console not built: /console is not served (npm run setup builds it)' }, 'Console');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/console/',
    redirect: true,
    decorateReply: false,
    setHeaders: (response) => {
      response.setHeader('content-security-policy', CONSOLE_CSP);
      response.setHeader('x-content-type-options', 'nosniff');
      response.setHeader('referrer-policy', 'no-referrer');
    },
  });
}
