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
