import { parseArgs } from 'node:util';
import { GyreApiClient } from './api-client';
import { resolveCliConfig } from './cli-config';
import { CliIo, EXIT } from './cli-io';
import { Command, commandName, GLOBAL_OPTIONS, OptionValues, usageOf } from './command';
import { apiKeyCreateCommand, apiKeyListCommand, apiKeyRevokeCommand } from './commands/api-keys';
import { publishCommand } from './commands/publish';
import {
  replayCancelCommand,
  replayListCommand,
  replayStartCommand,
  replayWatchCommand,
} from './commands/replay';
import { streamsListCommand, streamsTiersCommand } from './commands/streams';
import { tailCommand } from './commands/tail';
import { ApiProblemError, ApiUnreachableError, UsageError } from './errors';

export const COMMANDS: readonly Command[] = [
  publishCommand,
  tailCommand,
  replayStartCommand,
  replayWatchCommand,
  replayCancelCommand,
  replayListCommand,
  streamsListCommand,
  streamsTiersCommand,
  apiKeyCreateCommand,
  apiKeyListCommand,
  apiKeyRevokeCommand,
];

export interface CliDependencies {
  fetch?: typeof fetch;
}

/** The overview `gyre`, `gyre --help` and `gyre help` print. */
export function overview(commands: readonly Command[] = COMMANDS): string {
  const names = commands.map((command) => `${commandName(command)} ${command.args.join(' ')}`.trim());
  const width = Math.max(...names.map((name) => name.length));
  return [
    'usage: gyre <command> [arguments] [options]',
    '',
    "Gyre's command line: talks to the REST API with an API key (--api-key or GYRE_API_KEY) at --api-url or",
    'GYRE_API_URL (default http://127.0.0.1:3000). `gyre <command> --help` describes a command.',
    '',
    'commands:',
    ...commands.map((command, index) => `  ${names[index].padEnd(width)}  ${command.summary}`),
    '',
  ].join('\n');
}

/** Finds the command named by the first words of argv: `replay start ...` -> replay start. */
export function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const command = COMMANDS.find((candidate) => candidate.words.every((word, i) => argv[i] === word));
  return command && { command, rest: argv.slice(command.words.length) };
}

/** Parses a command's options and positionals; anything unknown or missing is a UsageError. */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: OptionValues; positionals: string[] } {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (parsed.values.help) return parsed;
  const expected = command.args.length;
  if (parsed.positionals.length !== expected)
    throw new UsageError(
      parsed.positionals.length < expected
        ? `missing ${command.args.slice(parsed.positionals.length).join(' ')}`
        : `unexpected argument ${parsed.positionals[expected]}`,
    );
  return parsed;
}

/** Runs one command line and answers the exit code; never throws. */
export async function run(argv: readonly string[], io: CliIo, deps: CliDependencies = {}): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    (argv.length === 0 ? io.stderr : io.stdout).write(overview());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((command) => command.words[0] === argv[0]);
    io.stderr.write(`gyre: unknown command "${argv.slice(0, group.length > 0 ? 2 : 1).join(' ')}"\n\n`);
    io.stderr.write(group.length > 0 ? overview(group) : overview());
    return EXIT.usage;
  }
  const { command, rest } = found;
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout.write(usageOf(command));
      return EXIT.ok;
    }
    const config = resolveCliConfig(values as { 'api-url'?: string; 'api-key'?: string }, io.env);
    const api = () => {
      if (!config.apiKey) throw new UsageError('no API key: pass --api-key or set GYRE_API_KEY');
      return new GyreApiClient(config.apiUrl, config.apiKey, deps.fetch);
    };
    return await command.run({ io, values, positionals, api, json: values.json === true });
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`gyre: ${error.message}\n\n${usageOf(command)}`);
    return EXIT.usage;
  }
  if (error instanceof ApiProblemError || error instanceof ApiUnreachableError) {
    io.stderr.write(`gyre: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`gyre: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
