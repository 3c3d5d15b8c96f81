/** One metric family as a scrape shows it: its type, help text and the label names its samples carry. */
export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  labels: string[];
}

/**
 * The families of a Prometheus text scrape, sorted by name: what a dashboard depends on (names, types,
 * help, label names), without the values that change from scrape to scrape.
 */
export function metricFamilies(text: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, type: '', help: '', labels: [] }));
    return found;
  };
  for (const line of text.split('\n')) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      family(comment[2])[comment[1] === 'HELP' ? 'help' : 'type'] = comment[3];
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!sample) continue;
    const name = families.has(sample[1]) ? sample[1] : sample[1].replace(/_(bucket|sum|count)$/, '');
    const labels = [...(sample[2] ?? '').matchAll(/(\w+)="/g)].map((match) => match[1]);
    const target = family(name);
    target.labels = [...new Set([...target.labels, ...labels])].sort();
  }
  return [...families.values()].sort((a, b) => a.name.localeCompare(b.name));
}
