import { Message, MessageId } from '@gyre/pulsar';
import { HandlerError } from '../errors';
import { decodeEvent, encodeDeadLetter, encodeOutputs } from './message-codec';
import { deriveOutputId } from './output-id';

function message(fields: { data?: string; properties?: Record<string, string>; key?: string } = {}): Message {
  return new Message({
    topic: 'persistent://gyre/streams/transactions',
    id: new MessageId(7n, 42n, -1),
    data: Buffer.from(fields.data ?? '{"amount":12.5}'),
    properties: fields.properties ?? {},
    publishTimestamp: 1_700_000_000_500,
    eventTimestamp: 1_700_000_000_000,
    redeliveryCount: 0,
    partitionKey: fields.key,
    producerName: 'p',
    sequenceId: 1,
    nullValue: false,
  });
}

const stage = { pipeline: 'fraud', name: 'infer', outputs: ['predictions', 'audit'] };

describe(decodeEvent.name, () => {
  it('gives the handler the parsed payload, key, event id, epoch and event time', () => {
    const event = decodeEvent(
      message({ key: 'card-1', properties: { 'gyre-event-id': 'evt-1', 'gyre-epoch': '3' } }),
    );

    expect(event).toMatchObject({
      id: 'evt-1',
      key: 'card-1',
      epoch: '3',
      payload: { amount: 12.5 },
      eventTime: 1_700_000_000_000,
    });
  });

  it('gives no key for a message without one (the client reads it as an empty string)', () => {
    expect(decodeEvent(message()).key).toBeUndefined();
  });

  it('falls back to the message id when the event carries no id', () => {
    expect(decodeEvent(message()).id).toBe(new MessageId(7n, 42n, -1).toJavaString());
  });

  it('refuses a payload that is not JSON, as a failure retrying cannot fix', () => {
    expect(() => decodeEvent(message({ data: 'not json' }))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_PAYLOAD', retriable: false }),
    );
  });
});

describe(encodeOutputs.name, () => {
  const input = decodeEvent(
    message({ key: 'card-1', properties: { 'gyre-event-id': 'evt-1', 'gyre-epoch': '3' } }),
  );

  it('stamps each output with its deterministic id, lineage, stage and epoch, keeping the input key and time', () => {
    const [encoded] = encodeOutputs(input, [{ stream: 'predictions', payload: { score: 0.9 } }], stage);

    expect(encoded.stream).toBe('predictions');
    expect(JSON.parse(encoded.message.data.toString())).toEqual({ score: 0.9 });
    expect(encoded.message).toMatchObject({ partitionKey: 'card-1', eventTimestamp: 1_700_000_000_000 });
    expect(encoded.message.properties).toEqual({
      'gyre-event-id': deriveOutputId({
        inputId: 'evt-1',
        pipeline: 'fraud',
        stage: 'infer',
        epoch: '3',
        stream: 'predictions',
        part: '0',
      }),
      'gyre-parent-id': 'evt-1',
      'gyre-stage': 'fraud/infer',
      'gyre-epoch': '3',
    });
  });

  it('tells apart several outputs to one stream by position, or by the part the handler names', () => {
    const ids = encodeOutputs(
      input,
      [
        { stream: 'predictions', payload: 1 },
        { stream: 'predictions', payload: 2 },
        { stream: 'audit', payload: 3 },
        { stream: 'predictions', payload: 4, part: 'extra' },
      ],
      stage,
    ).map((output) => output.message.properties!['gyre-event-id']);

    expect(new Set(ids).size).toBe(4);
    expect(ids[3]).toBe(
      deriveOutputId({
        inputId: 'evt-1',
        pipeline: 'fraud',
        stage: 'infer',
        epoch: '3',
        stream: 'predictions',
        part: 'extra',
      }),
    );
  });

  it("does not let a handler override the runtime's properties, and lets it set the output's epoch", () => {
    const [encoded] = encodeOutputs(
      input,
      [
        {
          stream: 'predictions',
          payload: {},
          epoch: '4',
          properties: { 'gyre-event-id': 'mine', model: 'v7' },
        },
      ],
      stage,
    );

    expect(encoded.message.properties).toMatchObject({ 'gyre-epoch': '4', model: 'v7' });
    expect(encoded.message.properties!['gyre-event-id']).not.toBe('mine');
  });

  it('refuses an output to a stream the stage did not declare', () => {
    expect(() => encodeOutputs(input, [{ stream: 'elsewhere', payload: {} }], stage)).toThrow(
      expect.objectContaining({ code: 'UNDECLARED_OUTPUT', retriable: false }),
    );
  });
});

describe(encodeDeadLetter.name, () => {
  it('keeps the original bytes, key and properties and records the failure, attempts and origin', () => {
    const original = message({ key: 'card-1', properties: { 'gyre-event-id': 'evt-1' } });
    const error = new HandlerError('BAD_AMOUNT', 'amount\nis negative', { retriable: false });

    const letter = encodeDeadLetter(
      original,
      { error, attempts: 1, pipeline: 'fraud', stage: 'infer' },
      { realTopic: original.getTopicName(), originMessageId: '7:42:-1' },
    );

    expect(letter.data).toEqual(original.getData());
    expect(letter.partitionKey).toBe('card-1');
    const keyless = encodeDeadLetter(
      message(),
      { error, attempts: 1, pipeline: 'fraud', stage: 'infer' },
      {
        realTopic: 't',
        originMessageId: '7:42:-1',
      },
    );
    expect(keyless.partitionKey).toBeUndefined();
    expect(letter.properties).toEqual({
      'gyre-event-id': 'evt-1',
      REAL_TOPIC: 'persistent://gyre/streams/transactions',
      ORIGIN_MESSAGE_ID: '7:42:-1',
      'gyre-stage': 'fraud/infer',
      'gyre-failure-code': 'BAD_AMOUNT',
      'gyre-failure-reason': 'BAD_AMOUNT: amount is negative',
      'gyre-attempts': '1',
    });
  });
});
