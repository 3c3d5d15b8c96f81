import { readAllText, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, MessageId, Producer } from '../src';
import { PrivateBroker, freeBrokerPorts } from '../../../tools/testing/private-broker';

/** Each send's outcome, counted, so a promise that settled twice or never would show. */
function track(sends: Promise<MessageId>[]) {
  const outcomes = sends.map(() => ({ resolved: 0, rejected: 0, id: undefined as MessageId | undefined }));
  const settled = Promise.all(
    sends.map((send, i) =>
      send.then(
        (id) => {
          outcomes[i].resolved++;
          outcomes[i].id = id;
        },
        () => {
          outcomes[i].rejected++;
        },
      ),
    ),
  );
  return { outcomes, settled };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

describe('a private broker stopped and restarted under a live client', () => {
  let broker: PrivateBroker;
  let client: Client;
  beforeAll(async () => {
    broker = await PrivateBroker.start(await freeBrokerPorts());
    await broker.admin('POST', '/admin/v2/namespaces/public/default/deduplication', true);
  }, 240_000);
  afterAll(() => broker?.stop({ wipe: true }), 60_000);
  beforeEach(() => {
    client = new Client({
      serviceUrl: broker.serviceUrl,
      operationTimeoutSeconds: 10,
      backoff: { initialMs: 100, maxMs: 1000 },
    });
  });
  afterEach(async () => {
    await client.close();
    await broker.up();
  });

  async function restartBroker(producer?: Producer): Promise<void> {
    await broker.stop();
    if (producer) await waitFor(() => !producer.isConnected(), { description: 'the producer to notice' });
    await broker.up();
  }

  it('settles every in-flight send exactly once, in order, and the topic holds each message once', async () => {
    const topic = uniqueTopic('restart-producer');
    const producer = await client.createProducer({ topic, sendTimeoutMs: 0, batchingMaxMessages: 20 });
    const before = range(0, 300).map((data) => producer.send({ data: Buffer.from(data) }));
    const stopping = broker.stop();
    const during = range(300, 400).map((data) => producer.send({ data: Buffer.from(data) }));
    await stopping;
    await waitFor(() => !producer.isConnected(), { description: 'the producer to notice the outage' });
    const whileDown = range(400, 500).map((data) => producer.send({ data: Buffer.from(data) }));
    await broker.up();
    const { outcomes, settled } = track([...before, ...during, ...whileDown]);
    await settled;
    expect(outcomes.every((outcome) => outcome.resolved === 1 && outcome.rejected === 0)).toBe(true);
    const stored = outcomes.map((outcome) => outcome.id!).filter((id) => id.ledgerId >= 0n);
    for (let i = 1; i < stored.length; i++) expect(stored[i].compareTo(stored[i - 1])).toBe(1);
    expect(await readAllText(client, topic)).toEqual(range(0, 500));
  });

  it('resubscribes a consumer after the restart and continues where the subscription stood', async () => {
    const topic = uniqueTopic('restart-consumer');
    const reconnected: string[] = [];
    client.on('reconnected', (event) => reconnected.push(event.kind));
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic, sendTimeoutMs: 0 });
    await Promise.all(range(0, 50).map((data) => producer.send({ data: Buffer.from(data) })));
    const firstSeen: string[] = [];
    const receive = async () => {
      const message = await consumer.receive(30_000);
      const data = message.getData().toString();
      if (!firstSeen.includes(data)) firstSeen.push(data);
      await consumer.acknowledge(message);
    };
    for (let i = 0; i < 25; i++) await receive();
    await restartBroker(producer);
    await Promise.all(range(50, 100).map((data) => producer.send({ data: Buffer.from(data) })));
    while (firstSeen.length < 100) await receive();
    expect(firstSeen).toEqual(range(0, 100));
    expect(reconnected).toEqual(expect.arrayContaining(['producer', 'consumer']));
  });

  it('fails pending sends and receives with ALREADY_CLOSED when closed during an outage', async () => {
    const topic = uniqueTopic('restart-close');
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic, sendTimeoutMs: 0 });
    await broker.stop();
    await waitFor(() => !producer.isConnected() && !consumer.isConnected(), {
      description: 'the client to notice the outage',
    });
    const send = producer.send({ data: Buffer.from('never confirmed') });
    const receive = consumer.receive();
    // close() must settle them at once rather than wait for the broker (Jest's timeout bounds it).
    await client.close();
    await expect(send).rejects.toMatchObject({ name: 'AlreadyClosedError', code: 'ALREADY_CLOSED' });
    await expect(receive).rejects.toMatchObject({ name: 'AlreadyClosedError', code: 'ALREADY_CLOSED' });
    await expect(producer.send({ data: Buffer.from('late') })).rejects.toMatchObject({
      code: 'ALREADY_CLOSED',
    });
  });
});
