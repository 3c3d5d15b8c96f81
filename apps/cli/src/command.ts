import { GyreApiClient } from './api-client';
import { CliIo } from './cli-io';
import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** What the value is called in the usage, e.g. `n` in `--batch <n>`. */
  value?: string;
  help: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  io: CliIo;
  values: OptionValues;
  positionals: string[];
  /** The API client; refuses (usage error) when no API key was given. */
  api(): GyreApiClient;
  /** --json: print the API's answer as JSON instead of a table. */
  json: boolean;
}

export interface Command {
  /** The words that name it: `['replay', 'start']`. */
  words: string[];
  /** Positional arguments in the usage line, e.g. `<stream> <file|->`; their count is checked. */
  args: string[];
  summary: string;
  /** More text for `--help`. */
  details?: string;
  options: Record<string, OptionSpec>;
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'api-url': {
    type: 'string',
    value: 'url',
    help: 'the API (default GYRE_API_URL, else http://127.0.0.1:3000)',
  },
  'api-key': { type: 'string', value: 'key', help: 'the API key (default GYRE_API_KEY)' },
  json: { type: 'boolean', help: "print the API's answer as JSON" },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export function commandName(command: Command): string {
  return ['gyre', ...command.words].join(' ');
}

/** `gyre replay start <stream> --to <target> [options]` and the lines under it. */
export function usageOf(command: Command): string {
  const lines = [
    `usage: ${commandName(command)} ${command.args.join(' ')} [options]`.replace(/ +/g, ' '),
    '',
  ];
  lines.push(command.summary);
  if (command.details) lines.push('', command.details);
  const section = (title: string, options: Record<string, OptionSpec>) => {
    const entries = Object.entries(options);
    if (entries.length === 0) return;
    const labels = entries.map(
      ([name, spec]) =>
        `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` <${spec.value}>` : ''}`,
    );
    const width = Math.max(...labels.map((label) => label.length));
    lines.push('', `${title}:`);
    entries.forEach(([, spec], index) => lines.push(`  ${labels[index].padEnd(width)}  ${spec.help}`));
  };
  section('options', command.options);
  section('global options', GLOBAL_OPTIONS);
  return `${lines.join('\n')}\n`;
}

/** A string option as a whole number within bounds, or the fallback when absent. */
export function integerOption(
  values: OptionValues,
  name: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const parsed = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
  return parsed;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Resolves after `ms`, or at once when `signal` aborts (Ctrl-C should not wait out a poll interval). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
