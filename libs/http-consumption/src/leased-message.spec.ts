import { Message, MessageId } from '@gyre/pulsar';
import { leasedMessage, pullResultJson } from './leased-message';

function message(data: Buffer): Message {
  return new Message({
    topic: 'persistent://gyre/streams/clicks',
    id: new MessageId(7n, 3n, -1, -1),
    data,
    properties: { source: 'web' },
    publishTimestamp: 1_767_225_600_000,
    eventTimestamp: 0,
    redeliveryCount: 2,
    producerName: 'p',
    sequenceId: 1,
    nullValue: false,
  });
}

describe(leasedMessage.name, () => {
  it("answers a null key for a message without one, not the client's empty string", () => {
    expect(leasedMessage(message(Buffer.from('{}')), 'token').key).toBeNull();
  });
});

describe(pullResultJson.name, () => {
  it('answers the same document as serialising the parsed payloads, with the payload text as published', () => {
    const text = '{"user":"u1","amount":1.50,"tags":["a","\\u00e9"]}';
    const result = {
      messages: [leasedMessage(message(Buffer.from(text)), 'token-1')],
      leaseExpiresAt: '2026-01-01T00:00:30.000Z',
    };

    const json = pullResultJson(result);

    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(JSON.parse(json).messages[0]).toMatchObject({
      leaseToken: 'token-1',
      redeliveryCount: 2,
      properties: { source: 'web' },
      payload: { user: 'u1', amount: 1.5, tags: ['a', 'é'] },
    });
    expect(json).toContain(`"payload":${text}}`);
  });

  it('answers bytes that are not UTF-8 as base64, even when a lenient decoding would be JSON', () => {
    const result = {
      messages: [leasedMessage(message(Buffer.from([0x22, 0xff, 0x22])), 'token-3')],
      leaseExpiresAt: '2026-01-01T00:00:30.000Z',
    };

    expect(JSON.parse(pullResultJson(result)).messages[0]).toMatchObject({
      payload: null,
      payloadBase64: Buffer.from([0x22, 0xff, 0x22]).toString('base64'),
    });
  });

  it('answers a payload that is not JSON as base64 with a null payload', () => {
    const result = {
      messages: [leasedMessage(message(Buffer.from([0xff, 0x00, 0x7b])), 'token-2')],
      leaseExpiresAt: '2026-01-01T00:00:30.000Z',
    };

    expect(JSON.parse(pullResultJson(result)).messages[0]).toMatchObject({
      payload: null,
      payloadBase64: Buffer.from([0xff, 0x00, 0x7b]).toString('base64'),
    });
  });
});
