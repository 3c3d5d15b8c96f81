import { CliIo } from './cli-io';

/** An in-memory CliIo for unit tests: what the command wrote, and a Ctrl-C to press. */
export function memoryIo(options: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const interrupt = new AbortController();
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text), isTTY: options.tty, columns: 100 },
    stderr: { write: (text: string) => err.push(text) },
    stdin: (async function* () {
      if (options.stdin !== undefined) yield Buffer.from(options.stdin);
    })(),
    env: options.env ?? {},
    interrupted: interrupt.signal,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), interrupt: () => interrupt.abort() };
}
