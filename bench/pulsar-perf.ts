/**
 * Runs Pulsar's own pulsar-perf (org.apache.pulsar.testclient, pulsar/lib/pulsar-testclient-4.0.8.jar, the
 * broker's jars) and reads its figures from its log: throughput from its own timestamps, latency from its
 * aggregated HdrHistogram.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pidCpuSeconds } from './process-cpu';

const CLASSPATH = `${resolve(__dirname, '..', 'pulsar', 'lib')}/*`;
const MAIN = 'org.apache.pulsar.testclient.PulsarPerfTestTool';

export interface PerfEndpoints {
  serviceUrl: string;
  adminUrl: string;
}

export interface PerfProduceResult {
  /** From "Created 1 producers" to "DONE (reached the maximum number ...)": the send loop. */
  publishSeconds: number;
  /** pulsar-perf's aggregated send latency (send call to receipt), its first second excluded (warm-up). */
  publishMs: { p50: number; p99: number };
  /** The JVM's CPU seconds (all threads: client, GC, JIT) over the send loop, from /proc/<pid>/stat. */
  publishCpuSeconds: number;
}

export interface PerfConsumeResult {
  /** From "Start receiving" (consumer subscribed) to the last of `count` messages. */
  consumeSeconds: number;
  /** The JVM's CPU seconds over the same span, from /proc/<pid>/stat. */
  consumeCpuSeconds: number;
}

/** Lines that open and close the measured span of a run: the JVM's CPU is read as each one arrives. */
interface Span {
  start: RegExp;
  end: RegExp;
}

interface RunOutput {
  lines: string[];
  cpuSeconds: number;
}

/** `2026-11-23T20:34:29,074` (pulsar-perf's log4j pattern) as milliseconds; only differences matter. */
function logTime(line: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),(\d{3})/.exec(line);
  if (!match) throw new Error(`pulsar-perf log line without a timestamp: ${line}`);
  return Date.parse(`${match[1]}.${match[2]}Z`);
}

function find(lines: string[], pattern: RegExp, what: string): string {
  const line = lines.find((candidate) => pattern.test(candidate));
  if (!line) throw new Error(`pulsar-perf printed no ${what}:\n${lines.slice(-20).join('\n')}`);
  return line;
}

/** Timeout of one pulsar-perf run: two minutes, or more for long runs (1,000 messages/s at the least). */
function runTimeoutMs(count: number): number {
  return Math.max(120_000, count);
}

/**
 * Runs pulsar-perf and reads its JVM's CPU seconds (/proc/<pid>/stat) when the span's first and last log
 * lines arrive, so JVM start-up and shut-down stay out of the figure as client creation does on the
 * TypeScript side. A sample every 100 ms stands in should the JVM be gone before the last line is read.
 */
async function run(args: string[], span: Span, timeoutMs: number): Promise<RunOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-pulsar-perf-'));
  const config = join(dir, 'client.conf'); // pulsar-perf's first argument; flags carry everything
  writeFileSync(config, '');
  try {
    const child = spawn('java', ['-cp', CLASSPATH, MAIN, config, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid ?? -1;
    let output = '';
    let pending = '';
    let startCpu: number | undefined;
    let endCpu: number | undefined;
    let lastCpu: number | undefined;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (startCpu === undefined && span.start.test(line)) startCpu = pidCpuSeconds(pid);
        else if (startCpu !== undefined && endCpu === undefined && span.end.test(line))
          endCpu = pidCpuSeconds(pid) ?? lastCpu;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const sampler = setInterval(() => (lastCpu = pidCpuSeconds(pid) ?? lastCpu), 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    clearTimeout(timer);
    clearInterval(sampler);
    const lines = output.split('\n');
    if (code !== 0) throw new Error(`pulsar-perf exited with ${code}:\n${lines.slice(-20).join('\n')}`);
    if (startCpu === undefined || endCpu === undefined)
      throw new Error(`no CPU reading of pulsar-perf's JVM (pid ${pid}) over its run`);
    return { lines, cpuSeconds: endCpu - startCpu };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `pulsar-perf produce`: `count` messages of `size` bytes, batched (10 ms / 1000 messages / 128 KiB, the
 * Java and TypeScript clients' default byte limit), uncompressed, at most `maxPending` outstanding, no rate limit.
 */
export async function perfProduce(
  endpoints: PerfEndpoints,
  topic: string,
  count: number,
  size: number,
  maxPending: number,
): Promise<PerfProduceResult> {
  const { lines, cpuSeconds } = await run(
    [
      'produce',
      ...['-u', endpoints.serviceUrl, '-au', endpoints.adminUrl],
      ...['-m', String(count), '-s', String(size), '-r', '10000000', '-o', String(maxPending)],
      ...['-b', '10', '-bm', '1000', '-bb', String(128 * 1024)],
      topic,
    ],
    { start: /Created 1 producers/, end: /DONE \(reached the maximum number/ },
    runTimeoutMs(count),
  );
  const created = logTime(find(lines, /Created 1 producers/, 'producer creation'));
  const done = logTime(find(lines, /DONE \(reached the maximum number/, 'end of production'));
  const latency = find(lines, /Aggregated latency stats/, 'latency summary');
  const stat = (label: string) => {
    const match = new RegExp(`${label}:\\s*([\\d.]+)`).exec(latency);
    if (!match) throw new Error(`no ${label} in: ${latency}`);
    return Number(match[1]);
  };
  return {
    publishSeconds: (done - created) / 1000,
    publishMs: { p50: stat('med'), p99: stat('99pct') },
    publishCpuSeconds: cpuSeconds,
  };
}

/** `pulsar-perf consume`: drains `count` messages of an existing subscription from its earliest backlog. */
export async function perfConsume(
  endpoints: PerfEndpoints,
  topic: string,
  subscription: string,
  count: number,
): Promise<PerfConsumeResult> {
  const { lines, cpuSeconds } = await run(
    [
      'consume',
      ...['-u', endpoints.serviceUrl, '-m', String(count), '-q', '1000'],
      ...['-ss', subscription, '-sp', 'Earliest', '-st', 'Exclusive'],
      topic,
    ],
    { start: /Start receiving from/, end: /-+ DONE -+/ },
    runTimeoutMs(count),
  );
  const started = logTime(find(lines, /Start receiving from/, 'start of consumption'));
  const done = logTime(find(lines, /-+ DONE -+/, 'end of consumption'));
  return { consumeSeconds: (done - started) / 1000, consumeCpuSeconds: cpuSeconds };
}
