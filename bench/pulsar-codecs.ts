/**
 * The Pulsar client's native codecs against their JavaScript fallbacks, side by side in one process: CPU
 * nanoseconds per call (process.cpuUsage, so a busy machine slows both sides alike) for CRC-32C at frame
 * sizes around the native threshold, and LZ4 compress + decompress of 1 KiB and 64 KiB payloads. (Snappy
 * was measured the same way with the napi-rs `snappy` package, slower than snappyjs: docs/benchmarks.md.)
 * Also a batch's per-message SingleMessageMetadata written into the frame by hand (the client's way) against
 * protobufjs encoding each and copying it in (the way before), per record of a 500-message batch.
 *
 *   npx ts-node bench/pulsar-codecs.ts [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { createCompression } from '../libs/pulsar/src/codec/compression';
import { crc32cJs } from '../libs/pulsar/src/codec/crc32c-js';
import { nativeCodecs } from '../libs/pulsar/src/codec/native-codecs';
import { batchWriter, BatchRecord } from '../libs/pulsar/src/codec/batch';
import { CompressionCode, SingleMessageMetadataType } from '../libs/pulsar/src/codec/protocol';
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
  const records: BatchRecord[] = Array.from({ length: 500 }, (_, i) => ({
    metadata: {
      payload_size: 0,
      properties: [
        { key: 'gyre-event-id', value: `3f2a9c0e5b7d41e8a6c4b2d0f8e6${String(i).padStart(4, '0')}` },
        { key: 'gyre-parent-id', value: `evt-${i}` },
        { key: 'gyre-stage', value: 'fraud-loop/infer' },
        { key: 'gyre-epoch', value: '7' },
      ],
      partition_key: `card-${i % 97}`,
      event_time: 1_796_649_767_619 + i,
      sequence_id: 1_000 + i,
    },
    payload: payload(512),
  }));
  const target = Buffer.alloc(batchWriter(records).size);
  rows.length = 0;
  compare(
    'SingleMessageMetadata, per record',
    () => batchWriter(records).writeTo(target, 0),
    () => {
      // The way before: protobufjs encodes each record, then it is copied into the frame.
      let offset = 0;
      for (const record of records) {
        const meta = SingleMessageMetadataType.encode({
          ...record.metadata,
          payload_size: record.payload.length,
        } as unknown as import('protobufjs').Message).finish();
        target.writeUInt32BE(meta.length, offset);
        target.set(meta, offset + 4);
        offset += 4 + meta.length;
        target.set(record.payload, offset);
        offset += record.payload.length;
      }
    },
  );
  const [, hand, proto, ratio] = rows[0];
  process.stdout.write(
    `\nbatch of 500: by hand ${(Number(hand) / 500).toFixed(0)} ns per record, protobufjs ` +
      `${(Number(proto) / 500).toFixed(0)} ns per record; by hand / protobufjs ${ratio}\n`,
  );
}

main();
