/**
 * @gyre/json-spans: where values sit in raw JSON bytes, so events travel as the bytes their author wrote.
 * Pure and dependency-free (Node's Buffer only): the API and the CLI both use it.
 */
export { elementSpans, jsonDepth, memberSpan, payloadSpans } from './json-spans';
export type { ByteSpan, PayloadSpan } from './json-spans';
