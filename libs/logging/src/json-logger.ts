import type { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { redact, redactText } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type LineLevel = LogLevel | 'fatal';

const STACK = /\n\s+at /;
const RANK: Record<LineLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };
// Written by pino itself; a field of the same name would repeat the key.
const CORE_KEYS = new Set(['time', 'level', 'context']);

export interface LogSink {
  write(line: string): unknown;
}

export interface JsonLoggerOptions {
  level: LogLevel;
  /** Where lines go; process.stdout unless a test or a fatal start-up path says otherwise. */
  sink?: LogSink;
  clock?: () => Date;
}

/**
 * Nest's LoggerService over pino, writing one JSON object per line: level, time, context, msg, then fields.
 * pino writes synchronously to the sink (no transport, no worker thread), so lines keep their order.
 * Libraries keep using `new Logger(Context)` from @nestjs/common; Nest routes it here.
 * A message may be an object (`{ msg, ...fields }`); extra object arguments become fields too.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;
  // Checked before pino is called: a line below LOG_LEVEL should cost a comparison, not a call.
  private readonly threshold: number;

  constructor({ level, sink = process.stdout, clock = () => new Date() }: JsonLoggerOptions) {
    this.threshold = RANK[level];
    this.pino = pino(
      {
        level,
        base: null,
        timestamp: () => `,"time":"${clock().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
      },
      { write: (line: string) => sink.write(line) },
    );
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  isEnabled(level: LineLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  private write(level: LineLevel, message: unknown, params: unknown[]): void {
    if (!this.isEnabled(level)) return;
    const { context, fields } = splitParams(level, params);
    // Redacted here rather than with pino's redact paths: the rules match key patterns at any depth
    // and mask text (URL passwords, bearer tokens), which fixed paths cannot express.
    const line: Record<string, unknown> = { context };
    for (const [key, value] of Object.entries({ ...messageFields(message), ...(redact(fields) as object) })) {
      if (!CORE_KEYS.has(key) && !(key in line)) line[key] = value;
    }
    this.pino[level](line);
  }
}

/** Nest's calling convention: the last string is the context; error(msg, stack, context). */
function splitParams(
  level: LineLevel,
  params: unknown[],
): { context?: string; fields: Record<string, unknown> } {
  const rest = [...params];
  const last = rest[rest.length - 1];
  const context = typeof last === 'string' && !STACK.test(last) ? (rest.pop() as string) : undefined;
  const fields: Record<string, unknown> = {};
  for (const param of rest) {
    if (param instanceof Error) fields.error = param;
    else if (typeof param === 'string' && (STACK.test(param) || RANK[level] >= RANK.error))
      fields.stack = param;
    else if (param !== null && typeof param === 'object' && !Array.isArray(param))
      Object.assign(fields, param);
    else if (param !== undefined) fields.args = [...((fields.args as unknown[]) ?? []), param];
  }
  return { context, fields };
}

function messageFields(message: unknown): Record<string, unknown> {
  if (typeof message === 'string') return { msg: redactText(message) };
  if (message instanceof Error) return { msg: redactText(message.message), error: redact(message) };
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    const { msg, message: text, ...fields } = message as Record<string, unknown>;
    return { msg: redactText(String(msg ?? text ?? '')), ...(redact(fields) as Record<string, unknown>) };
  }
  return { msg: redactText(String(message)) };
}
