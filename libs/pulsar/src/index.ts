/** @gyre/pulsar: a pure-TypeScript Apache Pulsar client whose API mirrors the official `pulsar-client`. */
export { Client } from './client';
export type { ClientConfig, TransactionOptions } from './client';
export type { AutoClusterFailoverConfig, ServiceInfo } from './lookup/cluster-failover';
export { Transaction } from './transaction/transaction';
export type { TransactionState } from './transaction/transaction';
export { AuthenticationToken } from './connection/auth';
export type { Authentication, TokenSupplier } from './connection/auth';
export type { SocketFactory, SocketOptions } from './connection/socket';
export { Producer } from './producer/producer';
export type { BatchingType, MessageRoutingMode, ProducerConfig, ProducerMessage } from './producer/options';
export { RoutedMessage } from './producer/message-router';
export type { MessageRouter, TopicMetadata } from './producer/message-router';
export { javaStringHash, murmur3Hash } from './producer/hashing';
export type { HashingScheme } from './producer/hashing';
export { Consumer } from './consumer/consumer';
export type { DeadLetterPolicy, SubscriptionType, InitialPosition } from './consumer/options';
export type { ConsumerConfig } from './consumer/consumer';
export type { BatchReceivePolicy } from './consumer/batch-receive-policy';
export type { KeySharedPolicy, KeyShareMode } from './consumer/key-shared-policy';
export type { RegexSubscriptionMode } from './consumer/topics-pattern';
export { Message } from './consumer/message';
export {
  defaultDeadLetterTopic,
  defaultRetryLetterTopic,
  PROPERTY_REAL_TOPIC,
  PROPERTY_REAL_SUBSCRIPTION,
  PROPERTY_ORIGIN_MESSAGE_ID,
  PROPERTY_RECONSUMETIMES,
  PROPERTY_DELAY_TIME,
  PROPERTY_LEGACY_ORIGIN_MESSAGE_ID,
  PROPERTY_RETRY_TOPIC,
  LETTER_PROPERTIES,
} from './consumer/letter-topics';
export { Reader } from './reader/reader';
export type { ReaderConfig } from './reader/reader';
export { MessageId } from './codec/message-id';
export type { CompressionType } from './codec/compression';
export type { ClientEvents, ClientEventName } from './events';
export { retry, Backoff } from './retry';
export type { BackoffOptions, RetryOptions } from './retry';
export {
  PulsarClientError,
  ConnectionError,
  TlsError,
  ProtocolError,
  TimeoutError,
  BrokerError,
  MessageTooLargeError,
  AlreadyClosedError,
  InvalidArgumentError,
  TransactionError,
  isRetriable,
} from './errors';
export type { PulsarErrorCode } from './errors';
