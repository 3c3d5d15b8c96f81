import { InvalidArgumentError } from '../errors';
import { TopicsMode } from '../codec/protocol';

export type RegexSubscriptionMode = 'PersistentOnly' | 'NonPersistentOnly' | 'AllTopics';

export const TOPICS_MODES: Record<RegexSubscriptionMode, TopicsMode> = {
  PersistentOnly: TopicsMode.PERSISTENT,
  NonPersistentOnly: TopicsMode.NON_PERSISTENT,
  AllTopics: TopicsMode.ALL,
};

export interface TopicsPattern {
  /** `tenant/namespace`, as GET_TOPICS_OF_NAMESPACE names it. */
  namespace: string;
  /** The pattern in full form (`persistent://tenant/ns/regex`), sent for the broker to filter with. */
  source: string;
  /** Matches a topic name without its domain and partition suffix, whole (as Java's matches()). */
  regex: RegExp;
}

/**
 * Reads `topicsPattern` as the official clients do: the namespace is the part before the regex (short
 * patterns are in public/default), and the regex matches whole names, domain excluded.
 */
export function parseTopicsPattern(pattern: string): TopicsPattern {
  if (typeof pattern !== 'string' || pattern.length === 0)
    throw new InvalidArgumentError('topicsPattern must be a non-empty regular expression string');
  const scheme = /^(persistent|non-persistent):\/\//.exec(pattern);
  const domain = scheme ? scheme[1] : 'persistent';
  const rest = scheme ? pattern.slice(scheme[0].length) : pattern;
  const parts = rest.split('/');
  let local: string;
  if (parts.length === 1) local = `public/default/${rest}`;
  else if (parts.length >= 3 && parts[0] && parts[1]) local = rest;
  else
    throw new InvalidArgumentError(`topicsPattern must be [domain://]tenant/namespace/regex, got ${pattern}`);
  const namespace = local.split('/').slice(0, 2).join('/');
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${local})$`);
  } catch (error) {
    throw new InvalidArgumentError(
      `topicsPattern is not a valid regular expression: ${(error as Error).message}`,
    );
  }
  return { namespace, source: `${domain}://${local}`, regex };
}

/**
 * The topics a pattern subscribes to among a namespace's topic names: partitions folded into their
 * topic, system topics (`__…`, e.g. `__change_events`) left out, each once, sorted.
 */
export function matchingTopics(pattern: TopicsPattern, topics: readonly string[]): string[] {
  const matched = new Set<string>();
  for (const topic of topics) {
    const name = topic.replace(/-partition-\d+$/, '');
    const local = name.replace(/^[a-z-]+:\/\//, '');
    if (local.split('/')[2]?.startsWith('__')) continue;
    if (pattern.regex.test(local)) matched.add(name);
  }
  return [...matched].sort();
}
