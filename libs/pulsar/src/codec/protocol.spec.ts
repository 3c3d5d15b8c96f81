import { CommandType, TopicsMode, decodeBaseCommand, encodeBaseCommand } from './protocol';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ascii = (text: string): string => Buffer.from(text).toString('hex');

describe('protocol commands for patterns and Key_Shared', () => {
  it('encodes GET_TOPICS_OF_NAMESPACE (32) with its mode and pattern', () => {
    const bytes = encodeBaseCommand({
      type: CommandType.GET_TOPICS_OF_NAMESPACE,
      get_topics_of_namespace: {
        request_id: 7,
        namespace: 'public/default',
        mode: TopicsMode.PERSISTENT,
        topics_pattern: 'public/default/a.*',
      },
    });
    expect(Buffer.from(bytes)).toEqual(
      hex(`0820 8202 28 0807 120e ${ascii('public/default')} 1800 2212 ${ascii('public/default/a.*')}`),
    );
  });

  it('decodes GET_TOPICS_OF_NAMESPACE_RESPONSE (33): request id 1, topics 2, filtered 3', () => {
    const topic = 'persistent://public/default/a1';
    const command = decodeBaseCommand(hex(`0821 8a02 24 0807 121e ${ascii(topic)} 1801`));
    expect(command.type).toBe(CommandType.GET_TOPICS_OF_NAMESPACE_RESPONSE);
    expect(command.get_topics_of_namespace_response?.topics).toEqual([topic]);
    expect(command.get_topics_of_namespace_response?.filtered).toBe(true);
  });

  it("encodes SUBSCRIBE's keySharedMeta as field 17: mode 1, hashRanges 3, allowOutOfOrderDelivery 4", () => {
    const bytes = encodeBaseCommand({
      type: CommandType.SUBSCRIBE,
      subscribe: {
        topic: 't',
        subscription: 's',
        subType: 3,
        consumer_id: 1,
        request_id: 2,
        keySharedMeta: {
          keySharedMode: 1,
          hashRanges: [{ start: 0, end: 32767 }],
          allowOutOfOrderDelivery: true,
        },
      },
    });
    expect(Buffer.from(bytes)).toEqual(
      hex('0804 221b 0a0174 120173 1803 2001 2802 8a010c 0801 1a06 0800 10ffff01 2001'),
    );
  });
});
