import { Duplex } from 'node:stream';
import { FrameReader, decodeFrame, encodeCommand } from '../codec/frame';
import { BaseCommand, CommandType } from '../codec/protocol';
import { Instrumentation } from '../events';
import { Authentication } from './auth';
import { Connection } from './connection';
import { SocketFactory } from './socket';

/** Two in-memory streams wired back to back, standing in for a TCP socket in unit tests. */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (other: () => Duplex): Duplex =>
    new Duplex({
      allowHalfOpen: false,
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        other().push(chunk);
        callback();
      },
      destroy(error, callback) {
        other().push(null);
        callback(error);
      },
    });
  sides.push(
    make(() => sides[1]),
    make(() => sides[0]),
  );
  return [sides[0], sides[1]];
}

/** A scripted broker for connection tests: answers CONNECT and records what the client sent. */
export class FakeBroker {
  readonly received: BaseCommand[] = [];
  socket?: Duplex;
  onCommand: (command: BaseCommand, broker: FakeBroker) => void = () => undefined;
  private readonly reader = new FrameReader();

  readonly socketFactory: SocketFactory = async () => {
    const [client, server] = duplexPair();
    this.socket = server;
    server.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) {
        const { command } = decodeFrame(frame);
        this.received.push(command);
        if (command.type === CommandType.CONNECT) {
          this.send({
            type: CommandType.CONNECTED,
            connected: { server_version: 'fake', protocol_version: 20, max_message_size: 1024 * 1024 },
          });
        } else {
          this.onCommand(command, this);
        }
      }
    });
    return client;
  };

  send(command: BaseCommand): void {
    this.sendRaw(encodeCommand(command));
  }

  sendRaw(bytes: Buffer): void {
    this.socket?.write(bytes);
  }
}

/** A connection to `broker` with short timeouts and no keepalive, as the unit tests use it. */
export function fakeConnection(
  broker: FakeBroker,
  {
    instrumentation = new Instrumentation(),
    authentication,
  }: { instrumentation?: Instrumentation; authentication?: Authentication } = {},
): Connection {
  return new Connection({
    logicalUrl: 'pulsar://fake:6650',
    physicalUrl: 'pulsar://fake:6650',
    address: { host: 'fake', port: 6650, tls: false },
    socketFactory: broker.socketFactory,
    authentication,
    connectionTimeoutMs: 1000,
    operationTimeoutMs: 1000,
    keepAliveIntervalMs: 0,
    instrumentation,
  });
}
