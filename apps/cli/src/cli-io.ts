/** What a command may touch of its process: given in, so tests drive commands without a real terminal. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on an interactive terminal: progress is redrawn in place instead of printed line by line. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: AsyncIterable<Buffer | string>;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted once when the user asks to stop (Ctrl-C); long-running commands finish their step and leave. */
  interrupted: AbortSignal;
}

/** Exit codes: 0 done, 1 the API refused or the operation failed, 2 bad arguments or settings. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
