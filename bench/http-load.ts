/**
 * A closed-loop HTTP load generator, run as its own process by bench/api-ingest.ts so that it does not
 * share an event loop (or a CPU's worth of JSON and socket work) with the API it measures.
 *
 *   npx ts-node bench/http-load.ts < plan.json     (a LoadPlan as JSON on stdin)
 *
 * For each step: `connections` keep-alive connections, each sending the same POST again as soon as the
 * previous answer arrived, for `durationMs` (after `warmupMs` whose requests are not counted) or until
 * `requests` requests were sent. Prints one JSON line per step (StepResult) on stdout. 127.0.0.1 only.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadStep {
  connections: number;
  /** Measured time; with `requests` unset, the step lasts this long. */
  durationMs?: number;
  /** Total requests of the step (the step ends when all are answered). */
  requests?: number;
  warmupMs?: number;
}

export interface LoadPlan {
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  expectStatus: number;
  steps: LoadStep[];
}

export interface StepResult {
  connections: number;
  requests: number;
  failures: number;
  /** The first few unexpected statuses or errors, for the report. */
  failureSamples: string[];
  seconds: number;
  latencyMs: { p50: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function post(agent: Agent, plan: LoadPlan, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: plan.port,
        method: 'POST',
        path: plan.path,
        agent,
        headers: { ...plan.headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runStep(plan: LoadPlan, step: LoadStep, body: Buffer): Promise<StepResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: step.connections });
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let sent = 0;
  const warmupEnd = performance.now() + (step.warmupMs ?? 0);
  let measuring = (step.warmupMs ?? 0) === 0;
  let measureStart = measuring ? performance.now() : 0;
  let deadline = Infinity;
  const startMeasuring = () => {
    measuring = true;
    measureStart = performance.now();
    if (step.durationMs !== undefined && step.requests === undefined)
      deadline = measureStart + step.durationMs;
  };
  if (measuring) startMeasuring();

  const connection = async () => {
    for (;;) {
      const now = performance.now();
      if (!measuring && now >= warmupEnd) startMeasuring();
      if (measuring && (now >= deadline || (step.requests !== undefined && sent >= step.requests))) return;
      const counted = measuring;
      if (counted) sent++;
      const started = performance.now();
      let outcome: { status: number; text: string } | Error;
      try {
        outcome = await post(agent, plan, body);
      } catch (error) {
        outcome = error as Error;
      }
      if (!counted) continue;
      if (outcome instanceof Error || outcome.status !== plan.expectStatus) {
        failures++;
        if (failureSamples.length < 5)
          failureSamples.push(
            outcome instanceof Error ? outcome.message : `${outcome.status} ${outcome.text.slice(0, 200)}`,
          );
      } else latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: step.connections }, connection));
  const seconds = (performance.now() - measureStart) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    connections: step.connections,
    requests: latencies.length,
    failures,
    failureSamples,
    seconds,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1],
    },
  };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString()) as LoadPlan;
  const body = Buffer.from(plan.body);
  for (const step of plan.steps) process.stdout.write(`${JSON.stringify(await runStep(plan, step, body))}\n`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
