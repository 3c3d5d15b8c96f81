import { JsonText } from '@gyre/streams';
import { decodeBatch, encodeSingleMessageMetadata, messagesOfEntry } from './peeked-messages';

function batchOf(records: Array<{ metadata: Record<string, unknown>; payload: string }>): Buffer {
  return Buffer.concat(
    records.flatMap(({ metadata, payload }) => {
      const bytes = Buffer.from(payload);
      const meta = encodeSingleMessageMetadata({ ...metadata, payload_size: bytes.length });
      const size = Buffer.alloc(4);
      size.writeUInt32BE(meta.length);
      return [size, meta, bytes];
    }),
  );
}

describe(messagesOfEntry.name, () => {
  it('decodes a plain entry from its headers, keeping the case of property names', () => {
    const [message] = messagesOfEntry(
      {
        headers: {
          'X-Pulsar-Message-ID': '12:4',
          'X-Pulsar-publish-time': '2025-01-31T12:00:00.500+01:00',
          'X-Pulsar-event-time': '2025-01-31T10:59:00.000Z',
          'X-Pulsar-partition-key': 'user-1',
          'X-Pulsar-PROPERTY-REAL_TOPIC': 'persistent://gyre/streams/clicks-partition-0',
        },
        body: Buffer.from('{"user":"u1","amount":2}'),
      },
      1,
    );

    expect(message).toEqual({
      messageId: expect.any(String),
      position: '12:4:1',
      partition: 1,
      key: 'user-1',
      publishTime: '2025-01-31T11:00:00.500Z',
      eventTime: '2025-01-31T10:59:00.000Z',
      properties: { REAL_TOPIC: 'persistent://gyre/streams/clicks-partition-0' },
      payload: new JsonText('{"user":"u1","amount":2}'),
    });
  });

  it("reads Pulsar 4's properties header, a JSON object", () => {
    const [message] = messagesOfEntry(
      {
        headers: {
          'X-Pulsar-Message-ID': '1:0',
          'X-Pulsar-PROPERTY': '{"gyre-failure-reason":"r","REAL_TOPIC":"x"}',
        },
        body: Buffer.from('{}'),
      },
      -1,
    );

    expect(message).toMatchObject({
      position: '1:0:-1',
      properties: { 'gyre-failure-reason': 'r', REAL_TOPIC: 'x' },
    });
  });

  it('splits a batched entry into its messages, each with its own key, properties, event time and index', () => {
    const body = batchOf([
      {
        metadata: { partition_key: 'a', properties: [{ key: 'k', value: 'v1' }], event_time: 1700000000000 },
        payload: '{"n":1}',
      },
      { metadata: { partition_key: 'b' }, payload: '{"n":2}' },
      { metadata: {}, payload: 'not json' },
    ]);

    const messages = messagesOfEntry(
      {
        headers: {
          'X-Pulsar-Message-ID': '9:0',
          'X-Pulsar-num-batch-message': '3',
          'X-Pulsar-publish-time': '2025-01-31T12:00:00Z',
        },
        body,
      },
      0,
    );

    expect(messages.map((m) => [m.position, m.key, m.properties, m.eventTime, m.payload?.text])).toEqual([
      ['9:0:0:0', 'a', { k: 'v1' }, new Date(1700000000000).toISOString(), '{"n":1}'],
      ['9:0:0:1', 'b', {}, null, '{"n":2}'],
      ['9:0:0:2', null, {}, null, undefined],
    ]);
    expect(messages[2].payloadBase64).toBe(Buffer.from('not json').toString('base64'));
    expect(new Set(messages.map((m) => m.publishTime))).toEqual(new Set(['2025-01-31T12:00:00.000Z']));
  });
});

describe(decodeBatch.name, () => {
  it('refuses a batch that claims more messages than it holds, or whose payload overruns it', () => {
    const body = batchOf([{ metadata: {}, payload: 'x' }]);

    expect(() => decodeBatch(body, 2)).toThrow(RangeError);
    expect(() => decodeBatch(body.subarray(0, body.length - 1), 1)).toThrow(/overruns/);
  });
});
