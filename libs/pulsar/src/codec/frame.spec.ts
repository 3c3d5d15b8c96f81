import { ProtocolError } from '../errors';
import { FrameReader, decodeFrame, encodeCommand, encodePayloadCommand, parsePayload } from './frame';
import { CommandType, toNumber } from './protocol';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('frame codec', () => {
  const sendFrame = hex(`
    0000001f 00000008 0806 3204 0801 1000
    0e01 7ed8df46
    00000007 0a0170 1000 1801
    6869`);

  it('encodes a PING as [totalSize][commandSize][BaseCommand]', () => {
    expect(encodeCommand({ type: CommandType.PING, ping: {} })).toEqual(hex('00000009 00000005 0812 920100'));
  });

  it('encodes a SEND with magic 0x0e01 and a CRC-32C from metadataSize to the end of the payload', () => {
    const frame = encodePayloadCommand(
      { type: CommandType.SEND, send: { producer_id: 1, sequence_id: 0 } },
      { producer_name: 'p', sequence_id: 0, publish_time: 1 },
      Buffer.from('hi'),
    );
    expect(frame).toEqual(sendFrame);
  });

  it('decodes a payload frame into its command, metadata and payload', () => {
    const { command, payloadSection } = decodeFrame(sendFrame.subarray(4));
    expect(command.type).toBe(CommandType.SEND);
    expect(toNumber(command.send?.producer_id)).toBe(1);
    const parsed = parsePayload(payloadSection as Buffer);
    expect(parsed.metadata.producer_name).toBe('p');
    expect(parsed.payload.toString()).toBe('hi');
  });

  it('reports a checksum mismatch as a named ProtocolError', () => {
    const corrupt = Buffer.from(sendFrame);
    corrupt[corrupt.length - 1] ^= 0x01;
    const { payloadSection } = decodeFrame(corrupt.subarray(4));
    expect(() => parsePayload(payloadSection as Buffer)).toThrow(
      expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }),
    );
  });

  it('accepts a payload without checksum magic (legacy producers)', () => {
    const legacy = Buffer.concat([hex('00000007 0a0170 1000 1801'), Buffer.from('hi')]);
    expect(parsePayload(legacy).payload.toString()).toBe('hi');
  });

  it('skips a broker entry metadata block (0x0e02) before the checksum', () => {
    const section = Buffer.concat([hex('0e02 00000004 0801 1002'), sendFrame.subarray(16)]);
    const parsed = parsePayload(section);
    expect(parsed.brokerTimestamp).toBe(1n);
    expect(parsed.brokerIndex).toBe(2n);
    expect(parsed.payload.toString()).toBe('hi');
  });

  it('rejects a command size larger than the frame', () => {
    expect(() => decodeFrame(hex('000000ff 0812'))).toThrow(ProtocolError);
  });

  it('rejects garbage where a BaseCommand should be', () => {
    expect(() => decodeFrame(hex('00000003 ffffff'))).toThrow(
      expect.objectContaining({ code: 'PROTOCOL_ERROR' }),
    );
  });
});

describe(FrameReader.name, () => {
  const ping = encodeCommand({ type: CommandType.PING, ping: {} });
  const pong = encodeCommand({ type: CommandType.PONG, pong: {} });

  it('reassembles frames split at every byte boundary', () => {
    const reader = new FrameReader();
    const stream = Buffer.concat([ping, pong]);
    const frames = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames.map((frame) => decodeFrame(frame).command.type)).toEqual([
      CommandType.PING,
      CommandType.PONG,
    ]);
  });

  it('returns several frames delivered in one chunk', () => {
    const frames = new FrameReader().push(Buffer.concat([ping, pong, ping]));
    expect(frames).toHaveLength(3);
  });

  it('refuses a frame above the maximum size before buffering it', () => {
    const reader = new FrameReader(1024);
    expect(() => reader.push(hex('00100000 00000000'))).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });
});
