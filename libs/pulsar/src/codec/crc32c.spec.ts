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
});
