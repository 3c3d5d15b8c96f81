/** Payloads `key:seq`: what a keyed workload sends, so the audit can tell loss, duplicates and order. */
export function keyedPayloads(keys: number, perKey: number, prefix = 'k'): { key: string; data: string }[] {
  const payloads: { key: string; data: string }[] = [];
  for (let seq = 0; seq < perKey; seq++) {
    for (let k = 0; k < keys; k++) payloads.push({ key: `${prefix}${k}`, data: `${prefix}${k}:${seq}` });
  }
  return payloads;
}

export interface KeyedAudit {
  /** Acknowledged (or required) payloads that never arrived. */
  lost: number;
  /** Arrivals beyond the first of a payload. */
  duplicated: number;
  /** First arrivals of a key whose sequence number is below one already seen for that key. */
  reordered: number;
}

/** Compares what must have arrived (`required`) with what did, in arrival order. */
export function auditKeyed(required: readonly string[], arrived: readonly string[]): KeyedAudit {
  const seen = new Set<string>();
  const lastSeq = new Map<string, number>();
  let duplicated = 0;
  let reordered = 0;
  for (const payload of arrived) {
    if (seen.has(payload)) {
      duplicated++;
      continue;
    }
    seen.add(payload);
    const [key, seq] = payload.split(':');
    if ((lastSeq.get(key) ?? -1) > Number(seq)) reordered++;
    lastSeq.set(key, Math.max(lastSeq.get(key) ?? -1, Number(seq)));
  }
  return { lost: required.filter((payload) => !seen.has(payload)).length, duplicated, reordered };
}
