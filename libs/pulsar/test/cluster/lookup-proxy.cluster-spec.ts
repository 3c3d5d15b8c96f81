import { readAllText, uniqueTopic, waitFor } from '../../../../tools/testing';
import { clusterAdmin, clusterClient, clusterEndpoints, ownerOf } from '../../../../tools/testing/cluster';
import { Client } from '../../src';

const PARTITIONS = 8;

/** A partitioned topic whose partitions the cluster's two brokers both own (the load manager spreads them). */
async function spreadTopic(prefix: string): Promise<{ topic: string; owners: number[] }> {
  const topic = uniqueTopic(prefix);
  await clusterAdmin('PUT', `/admin/v2/${topic.replace('://', '/')}/partitions`, PARTITIONS);
  const owners: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) owners.push(await ownerOf(`${topic}-partition-${p}`));
  return { topic, owners };
}

describe('the client on a two-broker cluster: lookups and the proxy', () => {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  function open(serviceUrl: string): Client {
    const client = clusterClient(serviceUrl);
    clients.push(client);
    return client;
  }

  it('reaches the owner of each partition from either broker, whichever broker it asks first', async () => {
    // Eight bundles over two brokers: retry with a fresh topic until both brokers own a partition.
    const { topic, owners } = await waitFor(
      async () => {
        const spread = await spreadTopic('cluster-lookup');
        return new Set(spread.owners).size === 2 ? spread : undefined;
      },
      { timeoutMs: 60_000, description: 'a topic whose partitions both brokers own' },
    );
    expect(new Set(owners)).toEqual(new Set([0, 1]));
    for (const [index, serviceUrl] of clusterEndpoints.brokerServiceUrls.entries()) {
      const client = open(serviceUrl);
      const producer = await client.createProducer({ topic, messageRoutingMode: 'RoundRobinDistribution' });
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => producer.send({ data: Buffer.from(`via-${index}-${i}`) })),
      );
      await producer.close();
    }
    const reader = open(clusterEndpoints.brokerServiceUrls[1]);
    const stored = await readAllText(reader, topic);
    expect(stored.sort()).toEqual(
      [0, 1].flatMap((b) => Array.from({ length: 40 }, (_, i) => `via-${b}-${i}`)).sort(),
    );
  });

  it('follows the redirects of a lookup (to the leader, then authoritatively to the owner) for a bundle nobody owned yet', async () => {
    // A fresh namespace: none of its bundles has an owner, so the broker asked (not the load manager's
    // leader) redirects the lookup, authoritatively, and the chain ends at the broker that takes the bundle.
    const namespace = `public/lookup-${uniqueTopic('ns').split('/').pop()}`;
    await clusterAdmin('PUT', `/admin/v2/namespaces/${namespace}`, { bundles: { numBundles: 4 } });
    const leader = await clusterAdmin<{ serviceUrl: string }>('GET', '/admin/v2/brokers/leaderBroker');
    const leaderIndex = clusterEndpoints.brokerAdminUrls.indexOf(leader.serviceUrl);
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const asked = clusterEndpoints.brokerServiceUrls[1 - leaderIndex];
    const client = open(asked);
    const redirects: Array<{ from: string; to: string; authoritative: boolean }> = [];
    client.on('lookupRedirected', ({ from, to, authoritative }) =>
      redirects.push({ from, to, authoritative }),
    );

    const topic = `persistent://${namespace}/first-lookup`;
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('after the redirects') });
    const owner = await ownerOf(topic);
    const stats = await clusterAdmin<{ publishers: { producerName: string }[] }>(
      'GET',
      `/admin/v2/${topic.replace('://', '/')}/stats`,
      undefined,
      clusterEndpoints.brokerAdminUrls[owner],
    );
    process.stdout.write(
      `[cluster] lookup of a new bundle asked at ${asked}: ${JSON.stringify(redirects)}\n`,
    );

    // The broker asked sends the lookup to the load manager's leader (not authoritative); the leader picks an
    // owner and, if that is another broker, redirects there authoritatively, so the owner takes the bundle.
    const leaderUrl = clusterEndpoints.brokerServiceUrls[leaderIndex];
    expect(redirects[0]).toEqual({ from: asked, to: leaderUrl, authoritative: false });
    expect(redirects.slice(1)).toEqual(
      redirects.slice(1).map((r, i) => ({ from: redirects[i].to, to: r.to, authoritative: true })),
    );
    expect(redirects[redirects.length - 1].to).toBe(clusterEndpoints.brokerServiceUrls[owner]);
    expect(stats.publishers.map((p) => p.producerName)).toEqual([producer.getProducerName()]);
    await producer.close();
  });

  it('answers a lookup of a topic owned by the other broker with that broker, not the one asked', async () => {
    const topic = uniqueTopic('cluster-lookup-owner');
    const owner = await ownerOf(topic);
    const other = 1 - owner;
    const client = open(clusterEndpoints.brokerServiceUrls[other]);
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('to the owner') });
    const stats = await clusterAdmin<{ publishers: { producerName: string }[] }>(
      'GET',
      `/admin/v2/${topic.replace('://', '/')}/stats`,
      undefined,
      clusterEndpoints.brokerAdminUrls[owner],
    );
    expect(stats.publishers.map((p) => p.producerName)).toEqual([producer.getProducerName()]);
    await producer.close();
  });

  it('produces to and consumes from partitions on both brokers with the proxy as the only service URL', async () => {
    const { topic, owners } = await waitFor(
      async () => {
        const spread = await spreadTopic('cluster-proxy');
        return new Set(spread.owners).size === 2 ? spread : undefined;
      },
      { timeoutMs: 60_000, description: 'a topic whose partitions both brokers own' },
    );
    expect(new Set(owners).size).toBe(2);
    const client = open(clusterEndpoints.serviceUrl);
    const consumer = await client.subscribe({
      topic,
      subscription: 'through-proxy',
      subscriptionType: 'Shared',
    });
    const producer = await client.createProducer({ topic, messageRoutingMode: 'RoundRobinDistribution' });
    const sent = Array.from({ length: 64 }, (_, i) => `proxied-${i}`);
    await Promise.all(sent.map((data) => producer.send({ data: Buffer.from(data) })));
    const received = new Set<string>();
    while (received.size < sent.length) {
      const message = await consumer.receive(30_000);
      received.add(message.getData().toString());
      await consumer.acknowledge(message);
    }
    expect([...received].sort()).toEqual([...sent].sort());
    await producer.close();
    await consumer.close();
  });
});
