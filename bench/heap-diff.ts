/**
 * Compares two V8 heap snapshots (.heapsnapshot, e.g. from bench/api-soak.ts --heap-snapshots) and prints what
 * grew between them: object counts and retained-by-self bytes per constructor (or node type), largest growth
 * first. A leak shows as a kind whose count climbs with the load while everything else stays put.
 *
 *   node --max-old-space-size=4096 -r ts-node/register bench/heap-diff.ts <before> <after> [top]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size per "type name" (constructor for objects, the type for strings, code, arrays...). */
function tally(file: string): Map<string, { count: number; bytes: number }> {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const types = heap.snapshot.meta.node_types[0];
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]];
    // Object kinds by constructor name; strings, code and the rest by their type alone.
    const key =
      type === 'object' || type === 'closure' ? `${type} ${heap.strings[heap.nodes[i + nameAt]]}` : type;
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count += 1;
    kind.bytes += heap.nodes[i + sizeAt];
    kinds.set(key, kind);
  }
  return kinds;
}

function main(): void {
  const [beforeFile, afterFile, top = '25'] = process.argv.slice(2);
  const before = tally(beforeFile);
  const after = tally(afterFile);
  const rows = [...after].map(([key, { count, bytes }]) => {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    return { key, count, dCount: count - was.count, dBytes: bytes - was.bytes };
  });
  rows.sort((a, b) => b.dBytes - a.dBytes);
  const total = (kinds: Map<string, { bytes: number }>) =>
    [...kinds.values()].reduce((sum, k) => sum + k.bytes, 0);
  console.log(`self size: ${(total(before) / 1e6).toFixed(1)} MB -> ${(total(after) / 1e6).toFixed(1)} MB`);
  console.log('bytes +/-     count +/-     count now  kind');
  for (const row of rows.slice(0, Number(top)))
    console.log(
      `${String(row.dBytes).padStart(10)}  ${String(row.dCount).padStart(10)}  ${String(row.count).padStart(12)}  ${row.key.slice(0, 100)}`,
    );
}

main();
