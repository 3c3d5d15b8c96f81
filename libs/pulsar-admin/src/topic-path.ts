/** A fully qualified persistent topic, e.g. persistent://gyre/streams/transactions. */
export interface TopicName {
  tenant: string;
  namespace: string;
  local: string;
}

export function parseTopic(topic: string): TopicName {
  const match = /^persistent:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(topic);
  if (!match) throw new RangeError(`not a fully qualified persistent topic: "${topic}"`);
  return { tenant: match[1], namespace: match[2], local: match[3] };
}

export function topicPath(topic: string): string {
  const { tenant, namespace, local } = parseTopic(topic);
  return `/admin/v2/persistent/${enc(tenant)}/${enc(namespace)}/${enc(local)}`;
}

export function subscriptionPath(topic: string, subscription: string): string {
  return `${topicPath(topic)}/subscription/${enc(subscription)}`;
}

export function namespacePath(tenant: string, namespace: string): string {
  return `/admin/v2/namespaces/${enc(tenant)}/${enc(namespace)}`;
}

export function enc(segment: string): string {
  return encodeURIComponent(segment);
}
