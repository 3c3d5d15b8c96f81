import { elementSpans, jsonDepth, memberSpan, payloadSpans } from './json-spans';

function payloads(text: string, from?: number, to?: number): (string | undefined)[] {
  const raw = Buffer.from(text);
  return payloadSpans(raw, from, to).map((span) => span && raw.toString('utf8', span.start, span.end));
}

describe(payloadSpans.name, () => {
  it('finds the payload of one event exactly as written', () => {
    const payload = '{"id":9007199254740993,"big":12345678901234567890,"f":1.0,"e":1e2,"neg0":-0,"t":1.10}';
    expect(payloads(`{"key":"k","payload":${payload},"id":"a"}`)).toEqual([payload]);
    expect(payloads(`  {\n "payload" :  [ 1 ,\t2 ] \n}  `)).toEqual(['[ 1 ,\t2 ]']);
  });

  it('finds scalar payloads followed by a brace, a comma or whitespace', () => {
    expect(
      payloads('[{"payload":-0},{"payload":1.10,"key":"k"},{"payload":true }, {"payload":null}]'),
    ).toEqual(['-0', '1.10', 'true', 'null']);
  });

  it('skips brackets, quotes and escapes inside strings', () => {
    const payload = '{"a":"}]\\"[{,","b":["\\\\",{"c":"\\u0022"}]}';
    expect(payloads(`[{"payload":"x\\"}"},{"note":"{[","payload":${payload}}]`)).toEqual([
      '"x\\"}"',
      payload,
    ]);
  });

  it('keeps the last of duplicate payload keys, as JSON.parse does, including an escaped spelling', () => {
    expect(payloads('{"payload":1,"payload":2}')).toEqual(['2']);
    expect(payloads('{"payload":1,"pay\\u006coad":{"x":3}}')).toEqual(['{"x":3}']);
  });

  it('reports elements that are not objects or have no payload as undefined, and an empty array as none', () => {
    expect(payloads('[1,"payload",[{"payload":1}],{"paylod":1},{}]')).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(payloads('[ ]')).toEqual([]);
    expect(payloads('"text"')).toEqual([]);
  });

  it('keeps multi-byte UTF-8 intact and scans only the given range', () => {
    const text = '{"payload":"é€😀"}\n{"payload":{"ü":[1]}}';
    const second = text.indexOf('\n') + 1;
    expect(payloads(text, 0, Buffer.byteLength(text.slice(0, second - 1)))).toEqual(['"é€😀"']);
    expect(payloads(text, Buffer.byteLength(text.slice(0, second)))).toEqual(['{"ü":[1]}']);
  });

  it('measures nesting depth without recursion, even 100,000 deep', () => {
    const raw = (text: string) => Buffer.from(text);
    expect(payloadSpans(raw('{"payload":1}'))[0]?.depth).toBe(0);
    expect(payloadSpans(raw('{"payload":{"a":[{"b":[]}],"c":{}}}'))[0]?.depth).toBe(4);
    const deep = `{"payload":${'[{"a":'.repeat(50_000)}1${'}]'.repeat(50_000)}}`;
    expect(payloadSpans(raw(deep))[0]?.depth).toBe(100_000);
  });
});

describe(jsonDepth.name, () => {
  it('measures a whole body, strings with brackets not counted', () => {
    expect(jsonDepth(Buffer.from(' 7 '))).toBe(0);
    expect(jsonDepth(Buffer.from('{"a":"[[[[","b":[{"c":[]}]}'))).toBe(4);
    expect(jsonDepth(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBe(100_000);
  });
});

describe(elementSpans.name, () => {
  const elements = (text: string) => {
    const raw = Buffer.from(text);
    return elementSpans(raw).map((span) => raw.toString('utf8', span.start, span.end));
  };

  it('finds each element of a top-level array exactly as written, whatever its kind', () => {
    const event = '{"payload":{"id":9007199254740993,"f":1.0},"key":"k"}';
    expect(elements(` [ ${event} ,\n{"payload":-0} , 1.10,"a,]\\"",[ ],null ]\n`)).toEqual([
      event,
      '{"payload":-0}',
      '1.10',
      '"a,]\\""',
      '[ ]',
      'null',
    ]);
  });

  it('finds none in an empty array or in a text that is not an array', () => {
    expect(elements(' [ ] ')).toEqual([]);
    expect(elements('{"payload":1}')).toEqual([]);
    expect(elements('')).toEqual([]);
  });
});

describe(memberSpan.name, () => {
  const member = (text: string, name: string) => {
    const raw = Buffer.from(text);
    const span = memberSpan(raw, name);
    return span && raw.toString('utf8', span.start, span.end);
  };

  it('finds the last member of that name as written, escaped spellings included', () => {
    const text = '{"messages" : [ {"payload":9007199254740993} ],"lease\\u0045xpiresAt":"t","messages":[]}';
    expect(member(text, 'messages')).toBe('[]');
    expect(member(text, 'leaseExpiresAt')).toBe('"t"');
    expect(member('{"a":{"b":1}, "b":1.0}', 'b')).toBe('1.0');
  });

  it('finds nothing in a text that is not an object or lacks the member', () => {
    expect(member('[{"a":1}]', 'a')).toBeUndefined();
    expect(member('{"a":1}', 'b')).toBeUndefined();
  });
});
