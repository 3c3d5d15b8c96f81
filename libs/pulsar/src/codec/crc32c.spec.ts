import { crc32c } from './crc32c';

describe('crc32c', () => {
  it('matches the CRC-32C check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 vectors for 32 zero bytes and 32 0xFF bytes', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  it('continues over several pieces as if they were one buffer', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    const whole = crc32c(data);
    expect(crc32c(data, crc32c(data, 0, 0, 13), 13)).toBe(whole);
  });

  it('covers only the requested range', () => {
    const data = Buffer.from('xx123456789yy');
    expect(crc32c(data, 0, 2, 11)).toBe(0xe3069283);
  });

  it('agrees with a bit-at-a-time reference at every length and offset around the 16-byte stride', () => {
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 131 + 7) & 0xff));
    const reference = (bytes: Uint8Array): number => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return ~crc >>> 0;
    };
    for (let start = 0; start < 17; start++)
      for (let end = start; end <= data.length; end += 7)
        expect(crc32c(data, 0, start, end)).toBe(reference(data.subarray(start, end)));
  });
});
