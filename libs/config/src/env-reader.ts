import { isIP } from 'node:net';
import type { ConfigProblem } from './configuration-error';

export type Env = Readonly<Record<string, string | undefined>>;

/** Keys whose values never appear in an error message (they may hold credentials). */
const SECRET_KEYS = new Set([
  'PULSAR_AUTH_TOKEN',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'DATABASE_URL',
]);

/**
 * Reads settings one by one and collects every problem instead of stopping at the first,
 * so a person fixes their configuration in one pass. A bad setting yields its fallback
 * (or an empty value) so reading can go on; the caller throws when `problems` is not empty.
 */
export class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when the variable is unset or blank. */
  value(key: string): string | undefined {
    const raw = this.env[key]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  }

  /** True when the variable is present, even if blank (blank means "none" for optional settings). */
  isSet(key: string): boolean {
    return this.env[key] !== undefined;
  }

  problem(key: string, rule: string, value?: string): void {
    const got = value === undefined || SECRET_KEYS.has(key) ? '' : ` (got "${value}")`;
    this.problems.push({ key, message: `${key} ${rule}${got}` });
  }

  text(key: string, fallback?: string, check?: (value: string) => string | undefined): string {
    const value = this.value(key) ?? fallback;
    if (value === undefined) {
      this.problem(key, 'is required');
      return '';
    }
    const rule = check?.(value);
    if (rule) this.problem(key, rule, value);
    return value;
  }

  integer(key: string, fallback: number, { min, max }: { min: number; max: number }): number {
    const value = this.value(key);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problem(key, `must be an integer from ${min} to ${max}`, value);
      return fallback;
    }
    return parsed;
  }

  port(key: string, fallback: number): number {
    return this.integer(key, fallback, { min: 1, max: 65535 });
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.value(key)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problem(key, 'must be true or false', this.value(key));
    return fallback;
  }

  oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
    const value = this.value(key);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `must be one of ${allowed.join(', ')}`, value);
    return fallback;
  }

  /** An address to listen on: an IPv4 or IPv6 address, or a host name (RFC 1123). */
  host(key: string, fallback: string): string {
    return this.text(key, fallback, (value) =>
      isIP(value) !== 0 || isHostName(value) ? undefined : 'must be an IP address or a host name',
    );
  }

  url(key: string, fallback: string | undefined, protocols: readonly string[]): string {
    return this.text(key, fallback, (value) => (isUrl(value, protocols) ? undefined : urlRule(protocols)));
  }
}

// Dot-separated labels of letters, digits and inner hyphens, at most 63 characters each, 253 in all.
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function isHostName(value: string): boolean {
  const labels = (value.endsWith('.') ? value.slice(0, -1) : value).split('.');
  // An all-digit last label is a mistyped IPv4 address (300.1.1.1), never a name (RFC 3696).
  return (
    value.length <= 253 && labels.every((label) => HOST_LABEL.test(label)) && !/^\d+$/.test(labels.at(-1)!)
  );
}

function isUrl(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
  } catch {
    return false;
  }
}

function urlRule(protocols: readonly string[]): string {
  const names = protocols.map((protocol) => `${protocol}://`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `must be a ${list} URL`;
}
