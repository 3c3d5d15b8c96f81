import { Client, Consumer, Message } from '@gyre/pulsar';
import { uniqueTopic } from '../../../tools/testing';
import { PrivateBroker, freeBrokerPorts } from '../../../tools/testing/private-broker';
import { CommittedAcks } from '../src/committed-acks';
import { LeaseBook } from '../src/lease-book';

const COUNT = 240;
/** Every third message is left unacked, so acks leave holes and the mark-delete position stays near the start. */
const isAcked = (index: number) => index % 3 !== 2;
const MODES = ['buffered', 'committed'] as const;
type Mode = (typeof MODES)[number];

async function receiveAll(consumer: Consumer, count: number): Promise<Message[]> {
  const received: Message[] = [];
  while (received.length < count) received.push(await consumer.receive(60_000));
  return received;
}

/** What arrives until the subscription has had nothing more for `quietMs`. */
async function drain(consumer: Consumer, quietMs: number): Promise<string[]> {
  const arrived: string[] = [];
  for (;;) {
    const message = await consumer.receive(quietMs).catch(() => undefined);
    if (!message) return arrived;
    arrived.push(message.getData().toString());
    await consumer.acknowledge(message);
  }
}

/**
 * The API's lease book acks HTTP leases through CommittedAcks (CONSUME_ACK_MODE=committed) or straight
 * through the consumer's ack buffer (buffered). Here each mode acks two thirds of a topic's messages on its own
 * subscription, every ack answered, then the broker is killed with -9 and started again on the same data.
 */
describe('HTTP acks when the broker is killed with -9 right after they were answered', () => {
  let broker: PrivateBroker;
  const acked: Record<Mode, string[]> = { buffered: [], committed: [] };
  const arrivedAfter: Record<Mode, string[]> = { buffered: [], committed: [] };

  beforeAll(async () => {
    broker = await PrivateBroker.start(await freeBrokerPorts());
    const topic = uniqueTopic('ack-durability');
    const options = { operationTimeoutSeconds: 10, backoff: { initialMs: 100, maxMs: 1000 } };
    const client = new Client({ serviceUrl: broker.serviceUrl, ...options });
    const subscribe = (subscription: Mode) =>
      client.subscribe({
        topic,
        subscription,
        subscriptionType: 'Shared',
        subscriptionInitialPosition: 'Earliest',
        receiverQueueSize: COUNT,
      });
    const consumers = { buffered: await subscribe('buffered'), committed: await subscribe('committed') };
    const producer = await client.createProducer({ topic, batchingMaxMessages: 10 });
    await Promise.all(
      Array.from({ length: COUNT }, (_, i) => producer.send({ data: Buffer.from(String(i)) })),
    );

    for (const mode of MODES) {
      const consumer = consumers[mode];
      const book = new LeaseBook(
        mode === 'committed' ? new CommittedAcks(client, consumer, 10_000) : consumer,
        COUNT,
      );
      const expiresAt = Date.now() + 300_000;
      const leased = (await receiveAll(consumer, COUNT)).map((message, id) => ({
        id,
        message,
        messageId: message.getMessageId().toOpaqueString(),
      }));
      book.leaseAll(leased, expiresAt);
      // One request of 20 lease tokens at a time, as a worker acks what it has processed.
      const toAck = leased.filter(({ message }) => isAcked(Number(message.getData().toString())));
      for (let i = 0; i < toAck.length; i += 20) {
        const answers = await Promise.all(
          toAck
            .slice(i, i + 20)
            .map(({ id, messageId }) => book.ack({ instance: 'here', leaseId: id, messageId, expiresAt })),
        );
        expect(answers.every((answer) => answer === 'acked')).toBe(true);
      }
      acked[mode] = toAck.map(({ message }) => message.getData().toString());
    }

    await broker.kill9();
    await client.close().catch(() => undefined);
    await broker.up();

    const after = new Client({ serviceUrl: broker.serviceUrl, ...options });
    try {
      for (const mode of MODES) {
        const consumer = await after.subscribe({
          topic,
          subscription: mode,
          subscriptionType: 'Shared',
          receiverQueueSize: COUNT,
        });
        arrivedAfter[mode] = await drain(consumer, 5_000);
      }
    } finally {
      await after.close();
    }
    const cameBack = (mode: Mode) => arrivedAfter[mode].filter((data) => acked[mode].includes(data)).length;
    process.stdout.write(
      `acked then redelivered after kill -9: buffered ${cameBack('buffered')} of ${acked.buffered.length}, ` +
        `committed ${cameBack('committed')} of ${acked.committed.length}\n`,
    );
  }, 600_000);

  afterAll(() => broker?.stop({ wipe: true }), 60_000);

  it('never redelivers a message whose committed ack was answered', () => {
    expect(acked.committed).toHaveLength((COUNT * 2) / 3);
    expect(arrivedAfter.committed.filter((data) => acked.committed.includes(data))).toEqual([]);
  });

  it('redelivers every message that was not acked, in both modes', () => {
    const unacked = Array.from({ length: COUNT }, (_, i) => String(i)).filter(
      (data) => !isAcked(Number(data)),
    );
    for (const mode of MODES) {
      const notAcked = arrivedAfter[mode].filter((data) => !acked[mode].includes(data));
      expect(new Set(notAcked)).toEqual(new Set(unacked));
    }
  });
});
