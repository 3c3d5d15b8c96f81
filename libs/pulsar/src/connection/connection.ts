import type { Duplex } from 'node:stream';
import { BrokerError, ConnectionError, PulsarClientError, ProtocolError, TimeoutError } from '../errors';
import { Instrumentation } from '../events';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  FRAME_PADDING,
  FrameReader,
  decodeFrame,
  encodeCommand,
} from '../codec/frame';
import { BaseCommand, CommandType, ServerError, toNumber } from '../codec/protocol';
import { Authentication } from './auth';
import { PendingRequests } from './pending-requests';
import { BrokerAddress, SocketFactory } from './socket';

export const PROTOCOL_VERSION = 20;
export const CLIENT_VERSION = 'gyre-pulsar-ts-0.1.0';

/** What a producer registered on a connection receives. */
export interface ProducerHandler {
  onSendReceipt(command: NonNullable<BaseCommand['send_receipt']>): void;
  onSendError(command: NonNullable<BaseCommand['send_error']>): void;
  /** The broker closed the producer or the connection died: reconnect (to `assignedUrl` if given). */
  onDisconnected(error: Error, assignedUrl?: string): void;
}

/** What a consumer registered on a connection receives. */
export interface ConsumerHandler {
  onMessage(command: NonNullable<BaseCommand['message']>, payloadSection: Buffer): void;
  onDisconnected(error: Error, assignedUrl?: string): void;
  onActiveConsumerChange?(isActive: boolean): void;
  onReachedEndOfTopic?(): void;
}

export interface ConnectionOptions {
  logicalUrl: string;
  physicalUrl: string;
  address: BrokerAddress;
  socketFactory: SocketFactory;
  authentication?: Authentication;
  /** Set when the physical connection is a proxy that must forward to this broker (`host:port`). */
  proxyToBrokerUrl?: string;
  connectionTimeoutMs: number;
  operationTimeoutMs: number;
  keepAliveIntervalMs: number;
  tlsOptions?: import('node:tls').ConnectionOptions;
  instrumentation: Instrumentation;
}

interface PendingRequest {
  resolve(command: BaseCommand): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/**
 * One TCP/TLS connection to a broker: handshake, keepalive, replies routed by request id and pushes by
 * producer/consumer id. When it closes, every pending request fails and every registered handler hears.
 */
export class Connection {
  readonly logicalUrl: string;
  readonly physicalUrl: string;
  maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  serverProtocolVersion = 0;
  private socket?: Duplex;
  private readonly reader = new FrameReader();
  private readonly pending = new PendingRequests();
  private readonly producers = new Map<number, ProducerHandler>();
  private readonly consumers = new Map<number, ConsumerHandler>();
  private readonly closeListeners: Array<(error: Error) => void> = [];
  private handshake?: PendingRequest;
  private keepAlive?: NodeJS.Timeout;
  private lastReceivedAt = Date.now();
  private nextRequestId = 1;
  private corked = false;
  private closedWith?: Error;

  constructor(private readonly options: ConnectionOptions) {
    this.logicalUrl = options.logicalUrl;
    this.physicalUrl = options.physicalUrl;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && this.closedWith === undefined;
  }

  async connect(): Promise<void> {
    const { address, connectionTimeoutMs } = this.options;
    const socket = await this.options.socketFactory({
      ...address,
      connectionTimeoutMs,
      tlsOptions: this.options.tlsOptions,
    });
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: Error) =>
      this.close(
        new ConnectionError(
          'CONNECTION_CLOSED',
          `connection to ${this.physicalUrl} failed: ${error.message}`,
          error,
        ),
      ),
    );
    socket.on('close', () =>
      this.close(new ConnectionError('CONNECTION_CLOSED', `connection to ${this.physicalUrl} closed`)),
    );
    const auth = this.options.authentication;
    let authData: Buffer | undefined;
    try {
      authData = auth ? await auth.getAuthData() : undefined;
    } catch (error) {
      const failure = new ConnectionError('CONNECTION_FAILED', 'cannot obtain authentication data', error);
      this.close(failure);
      throw failure;
    }
    const connected = new Promise<BaseCommand>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.close(
            new TimeoutError(
              'TIMEOUT',
              `no CONNECTED from ${this.physicalUrl} within ${connectionTimeoutMs} ms`,
            ),
          ),
        connectionTimeoutMs,
      );
      this.handshake = { resolve, reject, timer };
    });
    this.write({
      type: CommandType.CONNECT,
      connect: {
        client_version: CLIENT_VERSION,
        protocol_version: PROTOCOL_VERSION,
        auth_method_name: auth?.authMethodName,
        auth_data: authData,
        proxy_to_broker_url: this.options.proxyToBrokerUrl,
        feature_flags: { supports_auth_refresh: true, supports_broker_entry_metadata: true },
      },
    });
    const reply = await connected;
    const info = reply.connected as NonNullable<BaseCommand['connected']>;
    this.serverProtocolVersion = info.protocol_version ?? 0;
    if (info.max_message_size) this.maxMessageSize = info.max_message_size;
    this.reader.maxFrameSize = this.maxMessageSize + FRAME_PADDING;
    this.startKeepAlive();
    this.options.instrumentation.emit('connectionOpened', () => ({
      url: this.logicalUrl,
      physicalUrl: this.physicalUrl,
      serverVersion: info.server_version,
      protocolVersion: this.serverProtocolVersion,
    }));
  }

  newRequestId(): number {
    return this.nextRequestId++;
  }

  /** Sends a command carrying `request_id` and resolves with the reply (ERROR rejects as BrokerError). */
  request(
    command: BaseCommand,
    requestId: number,
    timeoutMs = this.options.operationTimeoutMs,
  ): Promise<BaseCommand> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const reply = this.pending.add(command, requestId, timeoutMs);
    this.write(command);
    return reply;
  }

  /** Writes a command or a pre-encoded frame; frames written in one tick leave in one syscall. */
  write(command: BaseCommand | Buffer): void {
    const socket = this.socket;
    if (!socket || this.closedWith) return;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(Buffer.isBuffer(command) ? command : encodeCommand(command));
  }

  registerProducer(producerId: number, handler: ProducerHandler): void {
    this.producers.set(producerId, handler);
  }

  unregisterProducer(producerId: number): void {
    this.producers.delete(producerId);
  }

  registerConsumer(consumerId: number, handler: ConsumerHandler): void {
    this.consumers.set(consumerId, handler);
  }

  unregisterConsumer(consumerId: number): void {
    this.consumers.delete(consumerId);
  }

  onClose(listener: (error: Error) => void): void {
    if (this.closedWith) listener(this.closedWith);
    else this.closeListeners.push(listener);
  }

  /** Closes the socket and fails everything that depends on it with `error`. Idempotent. */
  close(
    error: Error = new ConnectionError(
      'CONNECTION_CLOSED',
      `connection to ${this.physicalUrl} closed by the client`,
    ),
  ): void {
    if (this.closedWith) return;
    this.closedWith = error;
    clearInterval(this.keepAlive);
    this.socket?.destroy();
    if (this.handshake) {
      clearTimeout(this.handshake.timer);
      this.handshake.reject(error);
      this.handshake = undefined;
    }
    this.pending.failAll(error);
    const producers = [...this.producers.values()];
    const consumers = [...this.consumers.values()];
    this.producers.clear();
    this.consumers.clear();
    for (const handler of [...producers, ...consumers]) handler.onDisconnected(error);
    for (const listener of this.closeListeners.splice(0)) listener(error);
    if (error instanceof ProtocolError)
      this.options.instrumentation.emit('protocolError', () => ({ url: this.physicalUrl, error }));
    this.options.instrumentation.emit('connectionClosed', () => ({
      url: this.logicalUrl,
      physicalUrl: this.physicalUrl,
      error,
    }));
  }

  private startKeepAlive(): void {
    const interval = this.options.keepAliveIntervalMs;
    if (interval <= 0) return;
    this.keepAlive = setInterval(() => {
      if (Date.now() - this.lastReceivedAt > 2 * interval) {
        this.close(
          new ConnectionError(
            'CONNECTION_CLOSED',
            `nothing received from ${this.physicalUrl} for ${2 * interval} ms`,
          ),
        );
        return;
      }
      this.write({ type: CommandType.PING, ping: {} });
    }, interval);
    this.keepAlive.unref();
  }

  private onData(chunk: Buffer): void {
    this.lastReceivedAt = Date.now();
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.close(error as Error);
      return;
    }
    for (const frame of frames) {
      if (this.closedWith) return;
      try {
        const { command, payloadSection } = decodeFrame(frame);
        this.dispatch(command, payloadSection);
      } catch (error) {
        // A frame we cannot read leaves the stream in an unknown state: this connection is done.
        const failure =
          error instanceof PulsarClientError
            ? error
            : new ProtocolError('PROTOCOL_ERROR', 'failed to handle a frame', error);
        this.close(failure);
        return;
      }
    }
  }

  private dispatch(command: BaseCommand, payloadSection?: Buffer): void {
    switch (command.type) {
      case CommandType.CONNECTED:
        return this.completeHandshake(command);
      case CommandType.PING:
        return this.write({ type: CommandType.PONG, pong: {} });
      case CommandType.PONG:
        return;
      case CommandType.AUTH_CHALLENGE:
        this.answerAuthChallenge().catch((error: unknown) =>
          this.close(new ConnectionError('CONNECTION_CLOSED', 'cannot answer the auth challenge', error)),
        );
        return;
      case CommandType.SEND_RECEIPT:
        return this.producers
          .get(toNumber(command.send_receipt?.producer_id))
          ?.onSendReceipt(command.send_receipt!);
      case CommandType.SEND_ERROR:
        return this.producers
          .get(toNumber(command.send_error?.producer_id))
          ?.onSendError(command.send_error!);
      case CommandType.MESSAGE:
        if (!payloadSection) throw new ProtocolError('PROTOCOL_ERROR', 'MESSAGE frame without payload');
        return this.consumers
          .get(toNumber(command.message?.consumer_id))
          ?.onMessage(command.message!, payloadSection);
      case CommandType.CLOSE_PRODUCER:
        return this.detachProducer(
          toNumber(command.close_producer?.producer_id),
          command.close_producer?.assignedBrokerServiceUrl,
        );
      case CommandType.CLOSE_CONSUMER:
        return this.detachConsumer(
          toNumber(command.close_consumer?.consumer_id),
          command.close_consumer?.assignedBrokerServiceUrl,
        );
      case CommandType.TOPIC_MIGRATED: {
        const migrated = command.topic_migrated!;
        const id = toNumber(migrated.resource_id);
        return migrated.resource_type === 0
          ? this.detachProducer(id, migrated.brokerServiceUrl)
          : this.detachConsumer(id, migrated.brokerServiceUrl);
      }
      case CommandType.ACTIVE_CONSUMER_CHANGE:
        return this.consumers
          .get(toNumber(command.active_consumer_change?.consumer_id))
          ?.onActiveConsumerChange?.(command.active_consumer_change?.is_active ?? false);
      case CommandType.REACHED_END_OF_TOPIC:
        return this.consumers
          .get(toNumber(command.reached_end_of_topic?.consumer_id))
          ?.onReachedEndOfTopic?.();
      default:
        return this.resolveRequest(command);
    }
  }

  private completeHandshake(command: BaseCommand): void {
    const handshake = this.handshake;
    if (!handshake) return;
    clearTimeout(handshake.timer);
    this.handshake = undefined;
    handshake.resolve(command);
  }

  private resolveRequest(command: BaseCommand): void {
    if (command.error && this.handshake) {
      // The broker refuses CONNECT with ERROR and then closes.
      const error = command.error;
      this.close(new BrokerError(ServerError[error.error] ?? String(error.error), error.message));
      return;
    }
    this.pending.resolve(command);
  }

  private detachProducer(producerId: number, assignedUrl?: string): void {
    const handler = this.producers.get(producerId);
    this.producers.delete(producerId);
    handler?.onDisconnected(
      new ConnectionError('CONNECTION_CLOSED', `broker closed producer ${producerId}`),
      assignedUrl,
    );
  }

  private detachConsumer(consumerId: number, assignedUrl?: string): void {
    const handler = this.consumers.get(consumerId);
    this.consumers.delete(consumerId);
    handler?.onDisconnected(
      new ConnectionError('CONNECTION_CLOSED', `broker closed consumer ${consumerId}`),
      assignedUrl,
    );
  }

  private async answerAuthChallenge(): Promise<void> {
    const auth = this.options.authentication;
    const data = auth ? await auth.getAuthData() : Buffer.alloc(0);
    this.write({
      type: CommandType.AUTH_RESPONSE,
      auth_response: {
        client_version: CLIENT_VERSION,
        protocol_version: PROTOCOL_VERSION,
        response: { auth_method_name: auth?.authMethodName ?? 'none', auth_data: data },
      },
    });
  }
}
