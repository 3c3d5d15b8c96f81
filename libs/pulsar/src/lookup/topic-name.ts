import { InvalidArgumentError } from '../errors';

const PARTITION_SUFFIX = '-partition-';

/** Expands short names the way the official clients do: `t` → `persistent://public/default/t`. */
export function fullTopicName(topic: string): string {
  if (!topic) throw new InvalidArgumentError('topic must not be empty');
  if (topic.includes('://')) {
    if (!/^(persistent|non-persistent):\/\/[^/]+\/[^/]+\/.+$/.test(topic))
      throw new InvalidArgumentError(`invalid topic name: ${topic}`);
    return topic;
  }
  const parts = topic.split('/');
  if (parts.length === 1) return `persistent://public/default/${topic}`;
  if (parts.length === 3) return `persistent://${topic}`;
  throw new InvalidArgumentError(`invalid topic name: ${topic}`);
}

export function partitionTopicName(topic: string, partition: number): string {
  return `${topic}${PARTITION_SUFFIX}${partition}`;
}

/** A topic's own name (partition -1) when it is not partitioned, else each of its `count` partitions. */
export function partitionTargets(topic: string, count: number): Array<{ topic: string; partition: number }> {
  if (count === 0) return [{ topic, partition: -1 }];
  return Array.from({ length: count }, (_, index) => ({
    topic: partitionTopicName(topic, index),
    partition: index,
  }));
}

/** The partition index encoded in a topic name, or -1. */
export function partitionIndexOf(topic: string): number {
  const at = topic.lastIndexOf(PARTITION_SUFFIX);
  if (at < 0) return -1;
  const index = Number(topic.slice(at + PARTITION_SUFFIX.length));
  return Number.isInteger(index) ? index : -1;
}

/** `persistent://tenant/ns/name` → `persistent://tenant/ns`. */
export function namespaceOf(topic: string): string {
  const full = fullTopicName(topic);
  return full.slice(0, full.lastIndexOf('/'));
}
