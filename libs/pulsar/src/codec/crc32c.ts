import { crc32cJs } from './crc32c-js';
import { nativeCodecs } from './native-codecs';

export type Crc32c = (data: Uint8Array, previous?: number, start?: number, end?: number) => number;

/**
 * A call into the native addon costs about as much as checksumming 500 bytes in JavaScript (measured with
 * CPU time, see docs/benchmarks.md), so short ranges stay in JavaScript, where they are cheaper.
 */
export const NATIVE_CRC32C_MIN_BYTES = 512;

/** Wraps a native CRC-32C (whole buffer, optional initial state) into the client's range-taking signature. */
export function rangeCrc32c(native: (input: Uint8Array, initialState?: number) => number): Crc32c {
  return (data, previous = 0, start = 0, end = data.length) => {
    if (end - start < NATIVE_CRC32C_MIN_BYTES) return crc32cJs(data, previous, start, end);
    return native(start === 0 && end === data.length ? data : data.subarray(start, end), previous);
  };
}

/**
 * Checksum of `data[start, end)`; pass a previous result as `previous` to continue over several pieces,
 * so a frame's metadata and payload never need to be copied into one buffer first. Native (hardware CRC
 * instructions through @node-rs/crc32) when its binary loaded, the slice-by-16 table code otherwise.
 */
export const crc32c: Crc32c = nativeCodecs.crc32c ? rangeCrc32c(nativeCodecs.crc32c) : crc32cJs;
