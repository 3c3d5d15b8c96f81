import { JsonText, jsonTextOf, messagesJson } from './payload-text';

describe(jsonTextOf.name, () => {
  it('returns the text of a UTF-8 JSON payload exactly', () => {
    const text = '{"id":9007199254740993,"f":1.0,"s":"é😀"}';
    expect(jsonTextOf(Buffer.from(text))).toBe(text);
  });

  it('refuses bytes that are not UTF-8 even when a lenient decoding would be JSON', () => {
    expect(jsonTextOf(Buffer.from([0x22, 0xff, 0x22]))).toBeUndefined();
    expect(jsonTextOf(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBeUndefined(); // an encoded surrogate
  });

  it('refuses text that is not JSON, and a leading byte order mark', () => {
    expect(jsonTextOf(Buffer.from('hello'))).toBeUndefined();
    expect(jsonTextOf(Buffer.from('\ufeff{"a":1}'))).toBeUndefined();
    expect(jsonTextOf(Buffer.alloc(0))).toBeUndefined();
  });
});

describe(messagesJson.name, () => {
  it('splices each JSON payload in as its stored text, and is otherwise what JSON.stringify gives', () => {
    const text = '{"id":9007199254740993,"f":1.0, "s":"\\u00e9"}';
    const messages = [
      { messageId: 'a', payload: new JsonText(text), properties: { p: '"' } },
      { messageId: 'b', payload: null, payloadBase64: '/wB7' },
    ];

    const json = messagesJson(messages);

    expect(json).toBe(
      `[{"messageId":"a","properties":{"p":"\\""},"payload":${text}},${JSON.stringify(messages[1])}]`,
    );
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(messages)));
    expect(messagesJson([])).toBe('[]');
  });
});
