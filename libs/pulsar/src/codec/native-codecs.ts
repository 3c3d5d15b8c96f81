import * as zlib from 'node:zlib';

/**
 * The native codecs the client prefers, each loaded once and optional: napi-rs packages ship their binary as a
 * per-platform optional dependency, so on a platform without one the require throws and the JavaScript
 * fallback (crc32c-js, lz4js, zstd-wasm) does the work, giving the same bytes back. Snappy stays in
 * JavaScript: the napi-rs `snappy` package measured slower than snappyjs (bench/pulsar-codecs.ts).
 */
export interface NativeCodecs {
  crc32c?: (input: Uint8Array, initialState?: number) => number;
  /** lz4-napi's block API: its output starts with the uncompressed size (4 bytes, LE); its input must too. */
  lz4?: { compressSync(data: Buffer): Buffer; uncompressSync(data: Uint8Array): Buffer };
  /** Node's own zlib ZSTD (Node >= 22.15 and 23.8); Node 20 has none. */
  zstd?: {
    zstdCompressSync(data: Buffer, options?: object): Buffer;
    zstdDecompressSync(data: Uint8Array, options?: object): Buffer;
  };
}

function tryRequire<T>(name: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch {
    return undefined;
  }
}

function load(): NativeCodecs {
  const zlibZstd = zlib as unknown as NativeCodecs['zstd'] & object;
  return {
    crc32c: tryRequire<{ crc32c: NativeCodecs['crc32c'] }>('@node-rs/crc32')?.crc32c,
    lz4: tryRequire<NativeCodecs['lz4']>('lz4-napi'),
    zstd: typeof zlibZstd.zstdCompressSync === 'function' ? zlibZstd : undefined,
  };
}

export const nativeCodecs: NativeCodecs = load();

/** Which implementation serves each codec in this process: for logs, the docs and the tests. */
export function codecImplementations(
  codecs: NativeCodecs = nativeCodecs,
): Record<keyof NativeCodecs | 'snappy', string> {
  return {
    crc32c: codecs.crc32c ? '@node-rs/crc32' : 'javascript',
    lz4: codecs.lz4 ? 'lz4-napi' : 'lz4js',
    snappy: 'snappyjs',
    zstd: codecs.zstd ? 'node:zlib' : '@bokuweb/zstd-wasm',
  };
}
