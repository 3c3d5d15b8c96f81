/** A JSON Schema document (draft 2020-12 or 07 keywords), as stored and compared. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** Canonical JSON: object keys sorted, so equal values compare and hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function isSchemaObject(value: unknown): value is { [keyword: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
