import { eventLines } from './tail';

describe(eventLines.name, () => {
  it('prints each JSON payload as the API sent it, without the lease token', () => {
    const payload = '{"id":9007199254740993,"f":1.0, "neg0":-0}';
    const raw = Buffer.from(
      `{"messages":[{"leaseToken":"t1","messageId":"m1","key":"k","payload":${payload}},` +
        `{"leaseToken":"t2","messageId":"m2","key":null,"payload":null,"payloadBase64":"/w=="}],` +
        `"leaseExpiresAt":"2026-01-01T00:00:00.000Z"}`,
    );
    const parsed = JSON.parse(raw.toString()) as { messages: Parameters<typeof eventLines>[0] };

    expect(eventLines(parsed.messages, raw)).toBe(
      `{"messageId":"m1","key":"k","payload":${payload}}\n` +
        '{"messageId":"m2","key":null,"payloadBase64":"/w==","payload":null}\n',
    );
  });
});
