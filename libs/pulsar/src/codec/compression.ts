import * as zlib from 'node:zlib';
import * as snappyJs from 'snappyjs';
import * as zstdWasm from '@bokuweb/zstd-wasm';
import { ProtocolError } from '../errors';
import { lz4CompressJs, lz4DecompressJs } from './lz4-js';
import { NativeCodecs, nativeCodecs } from './native-codecs';
import { CompressionCode } from './protocol';

export { lz4LiteralBlock } from './lz4-js';

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

/** The ZSTD fallback lives in WebAssembly that must be instantiated once before use; the rest is sync. */
export function initCompression(): Promise<void> {
  zstdReady ??= zstdWasm.init().then(() => {
    zstdLoaded = true;
  });
  return zstdReady;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function requireZstd(): void {
  if (!zstdLoaded) throw new Error('ZSTD is not initialised: await initCompression() first');
}

/** The Java client writes ZSTD at level 3 too. */
const ZSTD_LEVEL = 3;

interface Codec {
  compress(input: Buffer): Buffer;
  decompress(input: Buffer, uncompressedSize: number): Buffer;
}

function lz4Codec(native: NativeCodecs['lz4']): Codec {
  if (!native) return { compress: lz4CompressJs, decompress: lz4DecompressJs };
  return {
    // lz4-napi frames its block with the uncompressed size (4 bytes LE): Pulsar's block carries none.
    compress: (input) => native.compressSync(input).subarray(4),
    decompress: (input, uncompressedSize) => {
      const sized = Buffer.allocUnsafe(input.length + 4);
      sized.writeUInt32LE(uncompressedSize, 0);
      sized.set(input, 4);
      return native.uncompressSync(sized);
    },
  };
}

const snappyCodec: Codec = {
  compress: (input) => asBuffer(snappyJs.compress(input)),
  decompress: (input, uncompressedSize) => asBuffer(snappyJs.uncompress(input, uncompressedSize)),
};

function zstdCodec(native: NativeCodecs['zstd']): Codec {
  if (!native) {
    return {
      compress: (input) => (requireZstd(), asBuffer(zstdWasm.compress(input, ZSTD_LEVEL))),
      decompress: (input, uncompressedSize) => {
        requireZstd();
        return asBuffer(zstdWasm.decompress(input, { defaultHeapSize: Math.max(uncompressedSize, 1) }));
      },
    };
  }
  const level = (zlib.constants as unknown as Record<string, number>).ZSTD_c_compressionLevel;
  return {
    compress: (input) => native.zstdCompressSync(input, { params: { [level]: ZSTD_LEVEL } }),
    decompress: (input, uncompressedSize) =>
      native.zstdDecompressSync(input, { maxOutputLength: Math.max(uncompressedSize, 1) }),
  };
}

const zlibCodec: Codec = {
  compress: (input) => zlib.deflateSync(input),
  // The Java client deflates with SYNC_FLUSH and never finishes the stream: no final block, no adler.
  decompress: (input, uncompressedSize) =>
    zlib.inflateSync(input, {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(uncompressedSize, 1),
    }),
};

export interface Compression {
  compress(code: CompressionCode, input: Buffer): Buffer;
  /** Decodes any codec (the producer chooses); errors become COMPRESSION_ERROR, never crashes. */
  decompress(code: CompressionCode, input: Buffer, uncompressedSize: number): Buffer;
}

/** The codecs over the given native bindings; any binding missing falls back to its JavaScript twin. */
export function createCompression(natives: NativeCodecs): Compression {
  const codecs: Partial<Record<CompressionCode, Codec>> = {
    [CompressionCode.LZ4]: lz4Codec(natives.lz4),
    [CompressionCode.ZLIB]: zlibCodec,
    [CompressionCode.ZSTD]: zstdCodec(natives.zstd),
    [CompressionCode.SNAPPY]: snappyCodec,
  };
  return {
    compress(code, input) {
      if (code === CompressionCode.NONE) return input;
      const codec = codecs[code];
      if (!codec) throw new ProtocolError('COMPRESSION_ERROR', `unknown compression type ${String(code)}`);
      return codec.compress(input);
    },
    decompress(code, input, uncompressedSize) {
      if (code === CompressionCode.NONE) return input;
      let output: Buffer;
      try {
        const codec = codecs[code];
        if (!codec) throw new Error(`unknown compression type ${String(code)}`);
        output = codec.decompress(input, uncompressedSize);
      } catch (error) {
        const name = CompressionCode[code] ?? code;
        throw new ProtocolError('COMPRESSION_ERROR', `cannot decompress ${name} payload`, error);
      }
      if (output.length !== uncompressedSize) {
        throw new ProtocolError(
          'COMPRESSION_ERROR',
          `payload decompressed to ${output.length} bytes, metadata says ${uncompressedSize}`,
        );
      }
      return output;
    },
  };
}

const selected = createCompression(nativeCodecs);
export const compress = selected.compress;
export const decompress = selected.decompress;
