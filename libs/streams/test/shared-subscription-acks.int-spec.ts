import { Client, Consumer, MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { testEndpoints, uniqueName, waitFor } from '../../../tools/testing';

/**
 * What the broker does with an ack sent by one consumer of a Shared subscription for a message it
 * dispatched to another: the question behind acking HTTP leases on another API instance.
 */
describe('acks across consumers of one Shared subscription (real broker)', () => {
  const endpoints = testEndpoints();
  const admin = new PulsarAdmin({ adminUrl: endpoints.pulsarAdminUrl });
  let client: Client;
  let topic: string;
  const subscription = 'shared-acks';

  const backlog = async () =>
    (await admin.topicStats(topic)).subscriptions[subscription]?.msgBacklog ?? Number.NaN;
  const subscribe = (receiverQueueSize = 10): Promise<Consumer> =>
    client.subscribe({
      topic,
      subscription,
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      receiverQueueSize,
    });

  beforeEach(() => {
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
    topic = `persistent://public/default/${uniqueName('shared-acks')}`;
  });
  afterEach(async () => {
    await client.close();
  });

  it('accepts an ack from a sibling consumer for an unbatched message, which is then never redelivered', async () => {
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const holder = await subscribe();
    await producer.send({ data: Buffer.from('one') });
    const received = await holder.receive(10_000);
    const sibling = await subscribe();

    await sibling.acknowledgeId(MessageId.fromOpaqueString(received.getMessageId().toOpaqueString()));

    await waitFor(async () => (await backlog()) === 0, { description: 'the backlog to drain' });
    await holder.close(); // the broker would redeliver the holder's pending messages now
    await expect(sibling.receive(1500)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await backlog()).toBe(0);
  });

  it('accepts an ack from a sibling consumer for one message of a batch entry (batch-index acks): only the other comes back', async () => {
    const producer = await client.createProducer({ topic, batchingMaxPublishDelayMs: 50 });
    const holder = await subscribe();
    await Promise.all([producer.send({ data: Buffer.from('a') }), producer.send({ data: Buffer.from('b') })]);
    const first = await holder.receive(10_000);
    await holder.receive(10_000);
    const sibling = await subscribe();

    // Sent as the entry's id with an ack_set: the broker records the one message as acked.
    await sibling.acknowledge(first);
    await holder.close();

    const redelivered = await sibling.receive(10_000);
    expect(redelivered.getData().toString()).toBe(first.getData().toString() === 'a' ? 'b' : 'a');
    await sibling.acknowledge(redelivered);
    await waitFor(async () => (await backlog()) === 0, { description: 'the backlog to drain' });
    await expect(sibling.receive(1500)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('re-dispatches the messages of a closed consumer without counting a redelivery', async () => {
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const holder = await subscribe();
    await producer.send({ data: Buffer.from('one') });
    await holder.receive(10_000);

    await holder.close();
    const next = await subscribe();

    expect((await next.receive(10_000)).getRedeliveryCount()).toBe(0);
  });
});
