import * as zlib from 'node:zlib';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';
import * as zstd from '@bokuweb/zstd-wasm';
import { ProtocolError } from '../errors';
import { CompressionCode } from './protocol';

/** The option names of the official Node client. */
export type CompressionType = 'None' | 'LZ4' | 'Zlib' | 'ZSTD' | 'SNAPPY';

export const COMPRESSION_CODES: Record<CompressionType, CompressionCode> = {
  None: CompressionCode.NONE,
  LZ4: CompressionCode.LZ4,
  Zlib: CompressionCode.ZLIB,
  ZSTD: CompressionCode.ZSTD,
  SNAPPY: CompressionCode.SNAPPY,
};

let zstdReady: Promise<void> | undefined;
let zstdLoaded = false;

/** ZSTD lives in WebAssembly that must be instantiated once before use; the other codecs are sync. */
export function initCompression(): Promise<void> {
  zstdReady ??= zstd.init().then(() => {
    zstdLoaded = true;
  });
  return zstdReady;
}

const lz4HashTable = new Uint32Array(1 << 16);

/** Pulsar's LZ4 is a raw block (no frame, no size prefix); the reader gets the size from metadata. */
function lz4Compress(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(lz4.compressBound(input.length) + 16);
  lz4HashTable.fill(0);
  const size = lz4.compressBlock(input, out, 0, input.length, lz4HashTable);
  return size > 0 ? out.subarray(0, size) : lz4LiteralBlock(input);
}

/** lz4js gives up (returns 0) on short or incompressible input; a literals-only block is valid LZ4. */
export function lz4LiteralBlock(input: Uint8Array): Buffer {
  const extra = input.length >= 15 ? Math.floor((input.length - 15) / 255) + 1 : 0;
  const out = Buffer.allocUnsafe(1 + extra + input.length);
  let offset = 0;
  if (input.length >= 15) {
    out[offset++] = 0xf0;
    let rest = input.length - 15;
    for (; rest >= 255; rest -= 255) out[offset++] = 255;
    out[offset++] = rest;
  } else {
    out[offset++] = input.length << 4;
  }
  out.set(input, offset);
  return out.subarray(0, offset + input.length);
}

function lz4Decompress(input: Uint8Array, uncompressedSize: number): Buffer {
  const out = Buffer.alloc(uncompressedSize);
  const written = lz4.decompressBlock(input, out, 0, input.length, 0);
  if (written !== uncompressedSize)
    throw new Error(`LZ4 block decoded to ${written} bytes, metadata says ${uncompressedSize}`);
  return out;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function requireZstd(): void {
  if (!zstdLoaded) throw new Error('ZSTD is not initialised: await initCompression() first');
}

export function compress(code: CompressionCode, input: Buffer): Buffer {
  switch (code) {
    case CompressionCode.NONE:
      return input;
    case CompressionCode.LZ4:
      return lz4Compress(input);
    case CompressionCode.ZLIB:
      return zlib.deflateSync(input);
    case CompressionCode.ZSTD:
      requireZstd();
      return asBuffer(zstd.compress(input, 3));
    case CompressionCode.SNAPPY:
      return asBuffer(snappy.compress(input));
    default:
      throw new ProtocolError('COMPRESSION_ERROR', `unknown compression type ${String(code)}`);
  }
}

/** Decodes any codec (the producer chooses); errors become COMPRESSION_ERROR, never crashes. */
export function decompress(code: CompressionCode, input: Buffer, uncompressedSize: number): Buffer {
  if (code === CompressionCode.NONE) return input;
  let output: Buffer;
  try {
    switch (code) {
      case CompressionCode.LZ4:
        output = lz4Decompress(input, uncompressedSize);
        break;
      case CompressionCode.ZLIB:
        // The Java client deflates with SYNC_FLUSH and never finishes the stream: no final block, no adler.
        output = zlib.inflateSync(input, {
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
          maxOutputLength: Math.max(uncompressedSize, 1),
        });
        break;
      case CompressionCode.ZSTD:
        requireZstd();
        output = asBuffer(zstd.decompress(input, { defaultHeapSize: Math.max(uncompressedSize, 1) }));
        break;
      case CompressionCode.SNAPPY:
        output = asBuffer(snappy.uncompress(input, uncompressedSize));
        break;
      default:
        throw new Error(`unknown compression type ${String(code)}`);
    }
  } catch (error) {
    throw new ProtocolError(
      'COMPRESSION_ERROR',
      `cannot decompress ${CompressionCode[code] ?? code} payload`,
      error,
    );
  }
  if (output.length !== uncompressedSize) {
    throw new ProtocolError(
      'COMPRESSION_ERROR',
      `payload decompressed to ${output.length} bytes, metadata says ${uncompressedSize}`,
    );
  }
  return output;
}
