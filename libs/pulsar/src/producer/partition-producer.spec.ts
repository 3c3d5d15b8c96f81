import { AlreadyClosedError, ConnectionError } from '../errors';
import { Instrumentation } from '../events';
import { ClientContext } from '../client-context';
import { CommandType } from '../codec/protocol';
import { Connection } from '../connection/connection';
import { FakeBroker } from '../connection/fake-broker';
import { LookupService } from '../lookup/lookup-service';
import { resolveProducerConfig } from './options';
import { PartitionProducer } from './partition-producer';

/** A broker that creates producers but never sends a receipt, and a client that cannot reconnect. */
async function producerOnSilentBroker(): Promise<{ producer: PartitionProducer; broker: FakeBroker }> {
  const broker = new FakeBroker();
  broker.onCommand = (command) => {
    if (command.type === CommandType.PRODUCER)
      broker.send({
        type: CommandType.PRODUCER_SUCCESS,
        producer_success: { request_id: command.producer!.request_id, producer_name: 'p' },
      });
  };
  const connection = new Connection({
    logicalUrl: 'pulsar://fake:6650',
    physicalUrl: 'pulsar://fake:6650',
    address: { host: 'fake', port: 6650, tls: false },
    socketFactory: broker.socketFactory,
    connectionTimeoutMs: 1000,
    operationTimeoutMs: 1000,
    keepAliveIntervalMs: 0,
    instrumentation: new Instrumentation(),
  });
  await connection.connect();
  let lookups = 0;
  const lookup = {
    connectionFor: async () => {
      if (lookups++ === 0) return connection;
      throw new ConnectionError('CONNECTION_FAILED', 'broker unreachable');
    },
  } as unknown as LookupService;
  const client: ClientContext = {
    lookup,
    instrumentation: new Instrumentation(),
    backoff: { initialMs: 5, maxMs: 20 },
    operationTimeoutMs: 1000,
    newProducerId: () => 1,
    newConsumerId: () => 1,
  };
  const producer = new PartitionProducer(
    client,
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
    broker.onCommand = (command) => {
      if (command.type === CommandType.PRODUCER)
        broker.send({
          type: CommandType.PRODUCER_SUCCESS,
          producer_success: { request_id: command.producer!.request_id, producer_name: 'p' },
        });
    };
    const connection = new Connection({
      logicalUrl: 'pulsar://fake:6650',
      physicalUrl: 'pulsar://fake:6650',
      address: { host: 'fake', port: 6650, tls: false },
      socketFactory: broker.socketFactory,
      connectionTimeoutMs: 1000,
      operationTimeoutMs: 1000,
      keepAliveIntervalMs: 0,
      instrumentation: new Instrumentation(),
    });
    await connection.connect();
    const client: ClientContext = {
      lookup: { connectionFor: async () => connection } as unknown as LookupService,
      instrumentation: new Instrumentation(),
      backoff: {},
      operationTimeoutMs: 1000,
      newProducerId: () => 1,
      newConsumerId: () => 1,
    };
    const config = { topic: 't', sendTimeoutMs: 0, batchingType: 'KeyBasedBatching' as const };
    const producer = new PartitionProducer(client, 't', -1, resolveProducerConfig(config));
    await producer.start();
    for (const key of ['a', 'b', 'a', 'c', 'b'])
      producer.send({ data: Buffer.from(key), partitionKey: key }).catch(() => undefined);
    producer.send({ data: Buffer.from('late'), deliverAfter: 1000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sends = broker.received.filter((command) => command.type === CommandType.SEND);
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
