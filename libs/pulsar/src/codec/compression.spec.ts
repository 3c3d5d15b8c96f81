import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { compress, decompress, initCompression, lz4LiteralBlock } from './compression';
import { CompressionCode } from './protocol';

const text = Buffer.from('gyre '.repeat(2000));
const codecs = [CompressionCode.LZ4, CompressionCode.ZLIB, CompressionCode.ZSTD, CompressionCode.SNAPPY];

describe('compression', () => {
  beforeAll(() => initCompression());

  it.each(codecs.map((code) => [CompressionCode[code], code]))(
    'round-trips compressible and random data with %s',
    (_name, code) => {
      for (const input of [text, randomBytes(3000), Buffer.alloc(0), Buffer.from('x')]) {
        const packed = compress(code, input);
        expect(decompress(code, packed, input.length)).toEqual(input);
      }
      expect(compress(code, text).length).toBeLessThan(text.length / 10);
    },
  );

  it('writes LZ4 as a raw block with no frame header', () => {
    expect(compress(CompressionCode.LZ4, Buffer.from('hello'))).toEqual(Buffer.from('5068656c6c6f', 'hex'));
  });

  it('writes a literals-only LZ4 block with length continuation bytes', () => {
    const input = Buffer.alloc(15 + 255 + 3, 0x61);
    const block = lz4LiteralBlock(input);
    expect([...block.subarray(0, 3)]).toEqual([0xf0, 0xff, 0x03]);
    expect(decompress(CompressionCode.LZ4, block, input.length)).toEqual(input);
  });

  it('writes ZLIB as a zlib stream (0x78 0x9c), Snappy as a raw block and ZSTD as a standard frame', () => {
    expect([...compress(CompressionCode.ZLIB, text).subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(compress(CompressionCode.SNAPPY, Buffer.from('hello'))).toEqual(
      Buffer.from('051068656c6c6f', 'hex'),
    );
    expect(compress(CompressionCode.ZSTD, text).subarray(0, 4)).toEqual(Buffer.from('28b52ffd', 'hex'));
  });

  it('inflates a ZLIB stream sync-flushed but never finished, as the Java client writes it', () => {
    const javaStyle = zlib.deflateSync(text, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(decompress(CompressionCode.ZLIB, javaStyle, text.length)).toEqual(text);
  });

  it('reports corrupt input or a wrong uncompressed size as COMPRESSION_ERROR', () => {
    for (const code of codecs) {
      expect(() => decompress(code, Buffer.from('definitely not compressed'), 100)).toThrow(
        expect.objectContaining({ code: 'COMPRESSION_ERROR' }),
      );
      expect(() => decompress(code, compress(code, text), text.length - 1)).toThrow(
        expect.objectContaining({ code: 'COMPRESSION_ERROR' }),
      );
    }
  });
});
