// fatal: bytes that are not UTF-8 are not text (no U+FFFD); ignoreBOM: a leading BOM is kept, so JSON.parse
// refuses it and the bytes travel as base64, unaltered.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The payload's text when its bytes are valid UTF-8 holding one JSON value; undefined otherwise (a message
 * another producer wrote), which consumers then get as payloadBase64.
 */
export function jsonTextOf(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = UTF8.decode(bytes);
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return text;
}

/** A payload known to be valid JSON, kept as its text; any JSON.stringify still sees the parsed value. */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * A JSON array of messages with each JsonText payload spliced in as its stored text, never parsed and
 * serialised again: a 64-bit id is not rounded, 1.0 stays 1.0 (and it is the cheaper path).
 */
export function messagesJson(messages: ReadonlyArray<{ payload: unknown }>): string {
  return `[${messages.map(messageJson).join(',')}]`;
}

function messageJson(message: { payload: unknown }): string {
  const { payload, ...rest } = message;
  if (!(payload instanceof JsonText)) return JSON.stringify(message);
  // The payload goes last, so its text replaces the closing `null}` of the rest.
  return `${JSON.stringify({ ...rest, payload: null }).slice(0, -'null}'.length)}${payload.text}}`;
}
