import { randomBytes } from 'node:crypto';
import { createCompression, initCompression } from './compression';
import { crc32cJs } from './crc32c-js';
import { NATIVE_CRC32C_MIN_BYTES, rangeCrc32c } from './crc32c';
import { codecImplementations, nativeCodecs } from './native-codecs';
import { CompressionCode } from './protocol';

/** Deterministic bytes with some repetition, so every codec finds matches and literals alike. */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = i % 97 < 40 ? (i * seed + 11) & 0xff : 'gyre'.charCodeAt(i % 4);
  return out;
}

const lengths = [0, 1, 3, 15, 16, 17, 255, 511, 512, 513, 1023, 4097, 65537];
const inputs = [...lengths.map((n) => pattern(n, 131)), randomBytes(3001), Buffer.alloc(10_000)];
/** Buffer.equals, not toEqual: jest's deep equality walks 64 KiB buffers byte by byte, for seconds. */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

const codecs = [CompressionCode.LZ4, CompressionCode.ZLIB, CompressionCode.ZSTD, CompressionCode.SNAPPY];

describe('native codecs and their JavaScript fallback', () => {
  beforeAll(() => initCompression());

  it('loads the native CRC-32C and LZ4 bindings on this platform', () => {
    expect(codecImplementations()).toMatchObject({ crc32c: '@node-rs/crc32', lz4: 'lz4-napi' });
  });

  it('gives the same CRC-32C natively and in JavaScript at every odd length, range and continuation', () => {
    const native = rangeCrc32c(nativeCodecs.crc32c!);
    expect(native(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cJs(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(native(Buffer.alloc(0))).toBe(0);
    const golden = pattern(70_000, 7);
    expect(native(golden)).toBe(crc32cJs(golden));
    for (const input of inputs) {
      expect(native(input)).toBe(crc32cJs(input));
      const cut = input.length >> 1;
      expect(native(input, native(input, 0, 0, cut), cut)).toBe(crc32cJs(input));
      expect(native(input, 0, 1, Math.max(1, input.length - 2))).toBe(
        crc32cJs(input, 0, 1, Math.max(1, input.length - 2)),
      );
    }
    expect(NATIVE_CRC32C_MIN_BYTES).toBeLessThan(golden.length);
  });

  it.each(codecs.map((code) => [CompressionCode[code], code]))(
    'decodes %s written by either implementation to the same bytes, empty and odd lengths included',
    (_name, code) => {
      const js = createCompression({});
      const native = createCompression(nativeCodecs);
      for (const input of inputs) {
        const fromJs = js.compress(code, input);
        const fromNative = native.compress(code, input);
        expectSameBytes(native.decompress(code, fromJs, input.length), input);
        expectSameBytes(js.decompress(code, fromNative, input.length), input);
        expectSameBytes(native.decompress(code, fromNative, input.length), input);
      }
    },
  );

  it('writes the same golden LZ4 blocks natively and in JavaScript', () => {
    for (const compression of [createCompression({}), createCompression(nativeCodecs)]) {
      expect(compression.compress(CompressionCode.LZ4, Buffer.from('hello'))).toEqual(
        Buffer.from('5068656c6c6f', 'hex'),
      );
      expect(compression.compress(CompressionCode.LZ4, Buffer.alloc(0))).toEqual(Buffer.from('00', 'hex'));
    }
  });

  it('falls back to JavaScript when a native binary cannot be loaded', () => {
    jest.isolateModules(() => {
      const missing = (): never => {
        throw new Error('Cannot find native binding');
      };
      jest.doMock('@node-rs/crc32', missing);
      jest.doMock('lz4-napi', missing);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('./native-codecs') as typeof import('./native-codecs');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { crc32c } = require('./crc32c') as typeof import('./crc32c');
      expect(isolated.codecImplementations()).toMatchObject({
        crc32c: 'javascript',
        lz4: 'lz4js',
        snappy: 'snappyjs',
      });
      expect(crc32c).toBe(
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('./crc32c-js') as typeof import('./crc32c-js')).crc32cJs,
      );
      const golden = pattern(4097, 3);
      expect(crc32c(golden)).toBe(rangeCrc32c(nativeCodecs.crc32c!)(golden));
    });
  });
});
