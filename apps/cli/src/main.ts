import { run } from './cli';

/** The process around the CLI: real streams, environment, Ctrl-C, and the exit code. */
function main(): void {
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    // The first Ctrl-C asks the command to finish its step; a second one leaves at once.
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });
  // `gyre tail ... | head` closes our stdout: stop quietly, like other command-line tools.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupted: interrupt.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gyre: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

main();
