import type { ReplayFilter } from './replay-spec';

/** What a filter looks at in a source message. */
export interface FilterInput {
  key: string | undefined;
  properties: Record<string, string>;
}

/** True when the message satisfies every condition of the filter (no filter: every message). */
export function matchesFilter(filter: ReplayFilter | undefined, message: FilterInput): boolean {
  if (!filter) return true;
  const { key, properties } = filter;
  if (key) {
    if (message.key === undefined) return false;
    if ('equals' in key ? message.key !== key.equals : !message.key.startsWith(key.prefix)) return false;
  }
  if (properties)
    for (const [name, value] of Object.entries(properties))
      if (
        !Object.prototype.hasOwnProperty.call(message.properties, name) ||
        message.properties[name] !== value
      )
        return false;
  return true;
}
