/** The JavaScript fallback of CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slice-by-16. Not zlib's CRC-32. */
const POLY = 0x82f63b78;

/**
 * Int32Array, not Uint32Array: a table entry above 2^31 read from a Uint32Array becomes a heap double in
 * V8, and the whole XOR chain with it; signed entries stay small integers (1.5–2× faster).
 */
function buildTables(): Int32Array[] {
  const tables = Array.from({ length: 16 }, () => new Int32Array(256));
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLY : crc >>> 1;
    tables[0][i] = crc;
  }
  for (let i = 0; i < 256; i++) {
    for (let k = 1; k < 16; k++) tables[k][i] = (tables[k - 1][i] >>> 8) ^ tables[0][tables[k - 1][i] & 0xff];
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15] = buildTables();

/**
 * Checksum of `data[start, end)`; pass a previous result as `previous` to continue over several pieces,
 * so a frame's metadata and payload never need to be copied into one buffer first.
 */
export function crc32cJs(data: Uint8Array, previous = 0, start = 0, end = data.length): number {
  let crc = ~previous | 0;
  let i = start;
  for (; i + 16 <= end; i += 16) {
    crc ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    crc =
      T15[crc & 0xff] ^
      T14[(crc >>> 8) & 0xff] ^
      T13[(crc >>> 16) & 0xff] ^
      T12[crc >>> 24] ^
      T11[data[i + 4]] ^
      T10[data[i + 5]] ^
      T9[data[i + 6]] ^
      T8[data[i + 7]] ^
      T7[data[i + 8]] ^
      T6[data[i + 9]] ^
      T5[data[i + 10]] ^
      T4[data[i + 11]] ^
      T3[data[i + 12]] ^
      T2[data[i + 13]] ^
      T1[data[i + 14]] ^
      T0[data[i + 15]];
  }
  for (; i < end; i++) crc = T0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
