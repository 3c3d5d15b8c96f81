import { ConnectionError, ProtocolError } from '../errors';
import { Instrumentation } from '../events';
import { CommandType, toNumber } from '../codec/protocol';
import { Connection, ConsumerHandler, PROTOCOL_VERSION } from './connection';
import { AuthenticationToken } from './auth';
import { FakeBroker, fakeConnection } from './fake-broker';

function connectionTo(
  broker: FakeBroker,
  instrumentation = new Instrumentation(),
  token?: string,
): Connection {
  return fakeConnection(broker, {
    instrumentation,
    authentication: token ? new AuthenticationToken({ token: async () => token }) : undefined,
  });
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(Connection.name, () => {
  it('sends CONNECT with the protocol version and token, and adopts the broker max message size', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker, undefined, 'jwt-abc');
    await connection.connect();
    const connect = broker.received[0].connect!;
    expect(connect.protocol_version).toBe(PROTOCOL_VERSION);
    expect(connect.auth_method_name).toBe('token');
    expect(Buffer.from(connect.auth_data!).toString()).toBe('jwt-abc');
    expect(connection.maxMessageSize).toBe(1024 * 1024);
    connection.close();
  });

  it('routes replies by request id, whatever order they come back in', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker);
    await connection.connect();
    const first = connection.request(
      { type: CommandType.PARTITIONED_METADATA, partition_metadata: { topic: 'a', request_id: 1 } },
      1,
    );
    const second = connection.request(
      { type: CommandType.PARTITIONED_METADATA, partition_metadata: { topic: 'b', request_id: 2 } },
      2,
    );
    broker.send({
      type: CommandType.PARTITIONED_METADATA_RESPONSE,
      partition_metadata_response: { request_id: 2, partitions: 7 },
    });
    broker.send({ type: CommandType.ERROR, error: { request_id: 1, error: 11, message: 'no such topic' } });
    await expect(second).resolves.toMatchObject({ partition_metadata_response: { partitions: 7 } });
    await expect(first).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      serverError: 'TopicNotFound',
      retriable: false,
    });
    connection.close();
  });

  it('answers PING with PONG', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker);
    await connection.connect();
    broker.send({ type: CommandType.PING, ping: {} });
    await settle();
    expect(broker.received.map((command) => command.type)).toContain(CommandType.PONG);
    connection.close();
  });

  it('fails every pending request and tells every handler when the socket closes', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker);
    await connection.connect();
    const disconnected: Error[] = [];
    const handler: ConsumerHandler = {
      onMessage: () => undefined,
      onDisconnected: (error) => disconnected.push(error),
    };
    connection.registerConsumer(5, handler);
    const pending = connection.request(
      { type: CommandType.LOOKUP, lookup: { topic: 't', request_id: 9 } },
      9,
    );
    broker.socket?.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionError);
    expect(disconnected).toHaveLength(1);
    expect(connection.isOpen).toBe(false);
  });

  it('closes with a named ProtocolError on a malformed frame instead of throwing', async () => {
    const broker = new FakeBroker();
    const instrumentation = new Instrumentation();
    const reported: Error[] = [];
    instrumentation.on('protocolError', (event) => reported.push(event.error));
    const connection = connectionTo(broker, instrumentation);
    await connection.connect();
    const pending = connection.request(
      { type: CommandType.LOOKUP, lookup: { topic: 't', request_id: 3 } },
      3,
    );
    broker.sendRaw(Buffer.from('00000006000000ffffff', 'hex'));
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
    expect(reported[0]).toMatchObject({ code: 'PROTOCOL_ERROR' });
  });

  it('hands a broker CLOSE_CONSUMER to the consumer with its assigned broker URL', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker);
    await connection.connect();
    const assigned: Array<string | undefined> = [];
    connection.registerConsumer(4, {
      onMessage: () => undefined,
      onDisconnected: (_error, url) => assigned.push(url),
    });
    broker.send({
      type: CommandType.CLOSE_CONSUMER,
      close_consumer: { consumer_id: 4, request_id: 0, assignedBrokerServiceUrl: 'pulsar://other:6650' },
    });
    await settle();
    expect(assigned).toEqual(['pulsar://other:6650']);
    expect(connection.isOpen).toBe(true);
    connection.close();
  });

  it('times out a request the broker never answers', async () => {
    const broker = new FakeBroker();
    const connection = connectionTo(broker);
    await connection.connect();
    const requestId = connection.newRequestId();
    await expect(
      connection.request(
        { type: CommandType.LOOKUP, lookup: { topic: 't', request_id: requestId } },
        requestId,
        20,
      ),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      retriable: true,
    });
    expect(toNumber(broker.received[1].lookup?.request_id)).toBe(requestId);
    connection.close();
  });
});
