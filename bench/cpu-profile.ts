/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the CPU time went within a time window:
 * self time by function and by area (a package under node_modules, a Gyre lib or app, Node's internals,
 * GC, idle).
 *
 *   npx ts-node bench/cpu-profile.ts <file.cpuprofile> [fromMicros toMicros]
 *
 * The window is in the profile's clock (CLOCK_MONOTONIC microseconds on Linux, the same clock as
 * process.hrtime), so a driver in another process can pass the start and end of its load.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  windowSeconds: number;
  /** Share of the window's samples that were not idle: how busy the process's main thread was. */
  busyShare: number;
  layers: Array<{ name: string; share: number }>;
  areas: Array<{ name: string; share: number }>;
  functions: Array<{ name: string; share: number }>;
}

export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const gyre = /\/(libs|apps|tools|bench)\/([^/]+)\//.exec(url);
  if (gyre) return `${gyre[1]}/${gyre[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

// Areas grouped into the layers a request crosses, to read what the web framework costs.
const LAYERS: Array<[string, RegExp]> = [
  [
    'Express and its middleware',
    /^(express|router|body-parser|raw-body|type-is|content-type|on-finished|finalhandler|send|qs|iconv-lite|media-typer|mime-types|path-to-regexp|depd|statuses|http-errors|encodeurl|parseurl|@nestjs\/platform-express)$/,
  ],
  ['Nest (core, common, router, guards, interceptors)', /^@nestjs\//],
  [
    'Node core: http, net, streams, events, timers (HTTP, pg and Pulsar alike)',
    /^node:_http|^node:http|^node:net|^node:stream|^node:internal|^node:events|^node:domain|^node:buffer|^node:timers/,
  ],
  ['Postgres client (typeorm, pg)', /^(typeorm|pg|pg-protocol|pg-pool|pg-types|postgres-.*)$/],
  ['Pulsar client (libs/pulsar, protobufjs, long)', /^(libs\/pulsar|protobufjs|long|@protobufjs\/.*)$/],
  ['Gyre ingestion and auth (apps, libs)', /^(apps|libs)\//],
  ['JSON Schema validation (ajv)', /^ajv/],
  ['GC', /^\(garbage collector\)$/],
];

export function layerOf(area: string): string {
  return (
    LAYERS.find(([, pattern]) => pattern.test(area))?.[0] ?? 'native code (syscalls, crypto, JSON) and other'
  );
}

export function summarizeProfile(file: string, from = -Infinity, to = Infinity, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < from || time > to) continue;
    // The time until the next sample is this sample's weight.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i])!.callFrame;
    total += weight;
    if (functionName === '(idle)') {
      idle += weight;
      continue;
    }
    const file = url.replace(/^.*\/(node_modules|libs|apps)\//, '$1/');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + weight);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + weight);
    byLayer.set(layerOf(area), (byLayer.get(layerOf(area)) ?? 0) + weight);
  }
  const busy = total - idle;
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: busy > 0 ? micros / busy : 0 }));
  return {
    windowSeconds: total / 1e6,
    busyShare: total > 0 ? busy / total : 0,
    layers: ranked(byLayer),
    areas: ranked(byArea),
    functions: ranked(byFunction),
  };
}

export function printSummary(summary: ProfileSummary, out: NodeJS.WritableStream = process.stdout): void {
  out.write(
    `profile window ${summary.windowSeconds.toFixed(1)} s, main thread busy ${(summary.busyShare * 100).toFixed(0)}%\n` +
      'self time by layer (share of busy time):\n',
  );
  for (const { name, share } of summary.layers)
    out.write(`  ${(share * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  out.write('self time by area:\n');
  for (const { name, share } of summary.areas)
    out.write(`  ${(share * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  out.write('self time by function:\n');
  for (const { name, share } of summary.functions)
    out.write(`  ${(share * 100).toFixed(1).padStart(5)}%  ${name}\n`);
}

if (require.main === module) {
  const [file, from, to] = process.argv.slice(2);
  printSummary(summarizeProfile(file, from ? Number(from) : undefined, to ? Number(to) : undefined, 40));
}
