/**
 * The Pulsar client's native codecs against their JavaScript fallbacks, side by side in one process: CPU
 * nanoseconds per call (process.cpuUsage, so a busy machine slows both sides alike) for CRC-32C at frame
 * sizes around the native threshold, and LZ4 compress + decompress of 1 KiB and 64 KiB payloads. (Snappy
 * was measured the same way with the napi-rs `snappy` package, slower than snappyjs: docs/benchmarks.md.)
 *
 *   npx ts-node bench/pulsar-codecs.ts [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { createCompression } from '../libs/pulsar/src/codec/compression';
import { crc32cJs } from '../libs/pulsar/src/codec/crc32c-js';
import { nativeCodecs } from '../libs/pulsar/src/codec/native-codecs';
import { CompressionCode } from '../libs/pulsar/src/codec/protocol';
import { printTable } from './print-table';

function cpuNs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
}

/** CPU ns per call of `fn`, over enough calls to take about 0.2 s of CPU. */
function perCall(fn: () => void): number {
  let calls = 1;
  for (;;) {
    const start = cpuNs();
    for (let i = 0; i < calls; i++) fn();
    const spent = cpuNs() - start;
    if (spent > 2e8) return spent / calls;
    calls *= 2;
  }
}

/** Text-like bytes: a few repeated words with numbers, as JSON events are. */
function payload(size: number): Buffer {
  let text = '';
  for (let i = 0; text.length < size; i++) text += `{"user":${i % 97},"v":"gyre"}`;
  return Buffer.from(text.slice(0, size));
}

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  const native = nativeCodecs.crc32c;
  if (!native) throw new Error('@node-rs/crc32 did not load: nothing to compare');
  const rows: string[][] = [];
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const compare = (label: string, nativeFn: () => void, jsFn: () => void) => {
    const n: number[] = [];
    const j: number[] = [];
    for (let r = 0; r < rounds; r++) {
      n.push(perCall(nativeFn));
      j.push(perCall(jsFn));
    }
    const [nn, jj] = [median(n), median(j)];
    rows.push([label, nn.toFixed(0), jj.toFixed(0), (nn / jj).toFixed(2)]);
  };
  for (const size of [64, 256, 512, 1024, 16 * 1024, 128 * 1024]) {
    const data = payload(size);
    compare(
      `crc32c ${size} B`,
      () => native(data, 0),
      () => crc32cJs(data),
    );
  }
  const js = createCompression({});
  const fast = createCompression(nativeCodecs);
  for (const [name, code] of [['LZ4', CompressionCode.LZ4]] as const) {
    for (const size of [1024, 64 * 1024]) {
      const data = payload(size);
      const packed = js.compress(code, data);
      compare(
        `${name} compress ${size} B`,
        () => fast.compress(code, data),
        () => js.compress(code, data),
      );
      compare(
        `${name} decompress ${size} B`,
        () => fast.decompress(code, packed, size),
        () => js.decompress(code, packed, size),
      );
    }
  }
  process.stdout.write(`median of ${rounds} rounds, CPU ns per call\n`);
  printTable([['operation', 'native', 'JavaScript', 'native/JS'], ...rows]);
}

main();
