import { createPartitionedTopic, testEndpoints, uniqueTopic } from '../../../tools/testing';
import { Client } from '../src';

/**
 * An `http(s)://` service URL (the official clients' web-service form): lookups, partition metadata and
 * namespace listings go over the broker's REST endpoints, the messages over the binary protocol.
 */
describe('Client over an http:// service URL', () => {
  let client: Client;
  beforeAll(() => {
    client = new Client({ serviceUrl: testEndpoints().pulsarAdminUrl, operationTimeoutSeconds: 30 });
  });
  afterAll(() => client.close());

  it('looks a partitioned topic up over HTTP and sends and receives every message of every partition', async () => {
    const topic = uniqueTopic('http-lookup');
    await createPartitionedTopic(topic, 2);
    expect(await client.getPartitionsForTopic(topic)).toEqual([
      `${topic}-partition-0`,
      `${topic}-partition-1`,
    ]);
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic, messageRoutingMode: 'RoundRobinDistribution' });
    const sent = ['a', 'bb', '', 'ccc', 'ünï'];
    await Promise.all(sent.map((text) => producer.send({ data: Buffer.from(text) })));
    const received: string[] = [];
    for (let i = 0; i < sent.length; i++) {
      const message = await consumer.receive(30_000);
      received.push(message.getData().toString());
      await consumer.acknowledge(message);
    }
    expect(received.sort()).toEqual([...sent].sort());
    await producer.close();
    await consumer.close();
  });

  it('finds the topics of a pattern subscription over HTTP', async () => {
    const prefix = uniqueTopic('http-pattern');
    const producer = await client.createProducer({ topic: `${prefix}-one` });
    const consumer = await client.subscribe({
      topicsPattern: `${prefix}-.*`,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    await producer.send({ data: Buffer.from('found') });
    expect((await consumer.receive(30_000)).getData().toString()).toBe('found');
    await producer.close();
    await consumer.close();
  });

  it('fails with ConnectError when nothing answers at the http:// URL, and refuses a malformed one', async () => {
    const nowhere = new Client({ serviceUrl: 'http://127.0.0.1:1', operationTimeoutSeconds: 5 });
    await expect(nowhere.createProducer({ topic: uniqueTopic('http-nowhere') })).rejects.toThrow(
      /^ConnectError/,
    );
    await nowhere.close();
    expect(() => new Client({ serviceUrl: 'http://' })).toThrow(/InvalidUrl/);
  });
});
