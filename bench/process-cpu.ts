/**
 * CPU seconds used by the local stack's services (from /proc, Linux) and by this process, so a benchmark
 * can say where the time of a phase went: the broker, the S3 server, or the client.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on Linux

export type CpuSample = Record<string, number>;

function processSeconds(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  return pidCpuSeconds(Number(readFileSync(pidFile, 'utf8').trim()));
}

/** CPU seconds (user + system) a running process has used; undefined when it is gone. */
export function pidCpuSeconds(pid: number): number | undefined {
  const stat = join('/proc', String(pid), 'stat');
  if (!existsSync(stat)) return undefined;
  // Fields after the command name (which may contain spaces) start at the last ')'.
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

/** A sample of the broker's, the S3 server's and this process's CPU seconds; services not found are left out. */
export function sampleCpu(stackData: string): CpuSample {
  const sample: CpuSample = {};
  const broker = processSeconds(join(stackData, 'pulsar', 'pid'));
  const s3 = processSeconds(join(stackData, 's3', 'pid'));
  if (broker !== undefined) sample.broker = broker;
  if (s3 !== undefined) sample.s3 = s3;
  const own = process.cpuUsage();
  sample.client = (own.user + own.system) / 1e6;
  return sample;
}

/** CPU seconds each process used between two samples, e.g. "broker 12.1 s, s3 3.0 s, client 9.8 s". */
export function describeCpu(before: CpuSample, after: CpuSample): string {
  return Object.keys(after)
    .filter((name) => before[name] !== undefined)
    .map((name) => `${name} ${(after[name] - before[name]).toFixed(1)} s`)
    .join(', ');
}

/** CPU seconds used so far by every running process whose command name is `name` (e.g. all of Postgres's). */
export function commandCpuSeconds(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // the process ended while being read
    }
  }
  return total;
}
