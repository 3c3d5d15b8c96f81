import { waitFor } from '../../../../tools/testing';
import { AlreadyClosedError, ConnectionError } from '../errors';
import { CommandType } from '../codec/protocol';
import { FakeBroker } from '../connection/fake-broker';
import { acceptProducers, fakeClientContext } from '../fake-client-context';
import { resolveProducerConfig } from './options';
import { PartitionProducer } from './partition-producer';

/** A broker that creates producers but never sends a receipt, and a client that cannot reconnect. */
async function producerOnSilentBroker(): Promise<{ producer: PartitionProducer; broker: FakeBroker }> {
  const broker = new FakeBroker();
  acceptProducers(broker);
  const { context } = await fakeClientContext(broker, {
    reconnect: async () => {
      throw new ConnectionError('CONNECTION_FAILED', 'broker unreachable');
    },
  });
  const producer = new PartitionProducer(
    context,
    'persistent://public/default/t',
    -1,
    resolveProducerConfig({ topic: 't', sendTimeoutMs: 0, batchingEnabled: false }),
  );
  await producer.start();
  return { producer, broker };
}

describe(PartitionProducer.name, () => {
  it('fails pending sends at once with AlreadyClosedError when closed while disconnected', async () => {
    const { producer, broker } = await producerOnSilentBroker();
    const sends = [producer.send({ data: Buffer.from('a') }), producer.send({ data: Buffer.from('b') })];
    const outcomes = Promise.allSettled(sends);
    broker.socket!.destroy(); // sent, unconfirmed; the connection drops and the producer reconnects
    await new Promise((resolve) => setImmediate(resolve));
    expect(producer.isConnected).toBe(false);

    const started = Date.now();
    await producer.close();
    expect(Date.now() - started).toBeLessThan(500);
    const settled = await outcomes;
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyClosedError);
    }
    await expect(producer.send({ data: Buffer.from('c') })).rejects.toBeInstanceOf(AlreadyClosedError);
  });
});

describe(`${PartitionProducer.name} with KeyBasedBatching`, () => {
  it('numbers sequence ids entry by entry, so they ascend across key batches', async () => {
    const broker = new FakeBroker();
    acceptProducers(broker);
    const { context, connection } = await fakeClientContext(broker, { backoff: {} });
    const config = { topic: 't', sendTimeoutMs: 0, batchingType: 'KeyBasedBatching' as const };
    const producer = new PartitionProducer(context, 't', -1, resolveProducerConfig(config));
    await producer.start();
    for (const key of ['a', 'b', 'a', 'c', 'b'])
      producer.send({ data: Buffer.from(key), partitionKey: key }).catch(() => undefined);
    producer.send({ data: Buffer.from('late'), deliverAfter: 1000 }).catch(() => undefined);
    const sends = await waitFor(() => {
      const sent = broker.received.filter((command) => command.type === CommandType.SEND);
      return sent.length >= 4 && sent;
    });
    expect(sends.map(({ send }) => [Number(send!.sequence_id), send!.num_messages])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
      [5, 1],
    ]);
    connection.close();
    await producer.close();
  });
});
