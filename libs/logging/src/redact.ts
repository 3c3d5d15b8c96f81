// Keys whose values must never reach a log line: credentials, and payloads (user data, possibly large).
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|credential|authori[sz]ation|api[-_]?key|private[-_]?key|cookie|session/i;
const PAYLOAD_KEY = /^(payload|body|rawBody)$/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi;
const BEARER = /\b(Bearer)\s+[\w.~+/-]+=*/g;
const MAX_DEPTH = 6;

/** A copy of `value` safe to log: secret-looking keys redacted, payloads omitted, URL passwords masked. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return redactError(value, depth, seen);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes omitted]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactEntry(key, item, depth, seen);
  return copy;
}

export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@').replace(BEARER, '$1 [redacted]');
}

function redactEntry(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === undefined || value === null || value === '') return value;
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (PAYLOAD_KEY.test(key)) return '[omitted]';
  return redact(value, depth + 1, seen);
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const { code, retriable } = error as Error & { code?: unknown; retriable?: unknown };
  return redact(
    {
      name: error.name,
      message: error.message,
      ...(code !== undefined && { code }),
      ...(retriable !== undefined && { retriable }),
      stack: error.stack,
      ...(error.cause !== undefined && { cause: error.cause }),
    },
    depth,
    seen,
  ) as Record<string, unknown>;
}
