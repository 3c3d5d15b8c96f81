import * as lz4 from 'lz4js';

const lz4HashTable = new Uint32Array(1 << 16);

/** The JavaScript fallback: Pulsar's LZ4 is a raw block (no frame, no size prefix); the size is in metadata. */
export function lz4CompressJs(input: Uint8Array): Buffer {
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

export function lz4DecompressJs(input: Uint8Array, uncompressedSize: number): Buffer {
  const out = Buffer.alloc(uncompressedSize);
  const written = lz4.decompressBlock(input, out, 0, input.length, 0);
  if (written !== uncompressedSize)
    throw new Error(`LZ4 block decoded to ${written} bytes, metadata says ${uncompressedSize}`);
  return out;
}
