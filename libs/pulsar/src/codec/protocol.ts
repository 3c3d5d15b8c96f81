import * as protobuf from 'protobufjs';
import Long from 'long';
import { PULSAR_API_PROTO } from './pulsar-api.proto';

/** uint64/int64 on the wire: protobufjs decodes them to Long; we encode Long or safe integers. */
export type Uint64 = Long | number;

const root = protobuf.parse(PULSAR_API_PROTO, { keepCase: true }).root;
const type = (name: string): protobuf.Type => root.lookupType(`pulsar.proto.${name}`);

export const BaseCommandType = type('BaseCommand');
export const MessageMetadataType = type('MessageMetadata');
export const SingleMessageMetadataType = type('SingleMessageMetadata');
export const MessageIdDataType = type('MessageIdData');
export const BrokerEntryMetadataType = type('BrokerEntryMetadata');

/** BaseCommand.type values; each equals the field number of the command it carries. */
export enum CommandType {
  CONNECT = 2,
  CONNECTED = 3,
  SUBSCRIBE = 4,
  PRODUCER = 5,
  SEND = 6,
  SEND_RECEIPT = 7,
  SEND_ERROR = 8,
  MESSAGE = 9,
  ACK = 10,
  FLOW = 11,
  UNSUBSCRIBE = 12,
  SUCCESS = 13,
  ERROR = 14,
  CLOSE_PRODUCER = 15,
  CLOSE_CONSUMER = 16,
  PRODUCER_SUCCESS = 17,
  PING = 18,
  PONG = 19,
  REDELIVER_UNACKNOWLEDGED_MESSAGES = 20,
  PARTITIONED_METADATA = 21,
  PARTITIONED_METADATA_RESPONSE = 22,
  LOOKUP = 23,
  LOOKUP_RESPONSE = 24,
  REACHED_END_OF_TOPIC = 27,
  SEEK = 28,
  GET_LAST_MESSAGE_ID = 29,
  GET_LAST_MESSAGE_ID_RESPONSE = 30,
  ACTIVE_CONSUMER_CHANGE = 31,
  GET_TOPICS_OF_NAMESPACE = 32,
  GET_TOPICS_OF_NAMESPACE_RESPONSE = 33,
  AUTH_CHALLENGE = 36,
  AUTH_RESPONSE = 37,
  ACK_RESPONSE = 38,
  NEW_TXN = 50,
  NEW_TXN_RESPONSE = 51,
  ADD_PARTITION_TO_TXN = 52,
  ADD_PARTITION_TO_TXN_RESPONSE = 53,
  ADD_SUBSCRIPTION_TO_TXN = 54,
  ADD_SUBSCRIPTION_TO_TXN_RESPONSE = 55,
  END_TXN = 56,
  END_TXN_RESPONSE = 57,
  TC_CLIENT_CONNECT_REQUEST = 62,
  TC_CLIENT_CONNECT_RESPONSE = 63,
  TOPIC_MIGRATED = 68,
}

export enum CompressionCode {
  NONE = 0,
  LZ4 = 1,
  ZLIB = 2,
  ZSTD = 3,
  SNAPPY = 4,
}

export enum ServerError {
  UnknownError = 0,
  MetadataError = 1,
  PersistenceError = 2,
  AuthenticationError = 3,
  AuthorizationError = 4,
  ConsumerBusy = 5,
  ServiceNotReady = 6,
  ProducerBlockedQuotaExceededError = 7,
  ProducerBlockedQuotaExceededException = 8,
  ChecksumError = 9,
  UnsupportedVersionError = 10,
  TopicNotFound = 11,
  SubscriptionNotFound = 12,
  ConsumerNotFound = 13,
  TooManyRequests = 14,
  TopicTerminatedError = 15,
  ProducerBusy = 16,
  InvalidTopicName = 17,
  IncompatibleSchema = 18,
  ConsumerAssignError = 19,
  TransactionCoordinatorNotFound = 20,
  InvalidTxnStatus = 21,
  NotAllowedError = 22,
  TransactionConflict = 23,
  TransactionNotFound = 24,
  ProducerFenced = 25,
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface MessageIdData {
  ledgerId: Uint64;
  entryId: Uint64;
  partition?: number;
  batch_index?: number;
  ack_set?: Uint64[];
  batch_size?: number;
  /** Set in the id of a chunked message: where its first chunk is (the id itself names the last). */
  first_chunk_message_id?: MessageIdData;
}

export interface MessageMetadata {
  producer_name: string;
  sequence_id: Uint64;
  publish_time: Uint64;
  properties?: KeyValue[];
  replicated_from?: string;
  partition_key?: string;
  replicate_to?: string[];
  compression?: CompressionCode;
  uncompressed_size?: number;
  num_messages_in_batch?: number;
  event_time?: Uint64;
  schema_version?: Uint8Array;
  partition_key_b64_encoded?: boolean;
  ordering_key?: Uint8Array;
  deliver_at_time?: Uint64;
  marker_type?: number;
  txnid_least_bits?: Uint64;
  txnid_most_bits?: Uint64;
  highest_sequence_id?: Uint64;
  null_value?: boolean;
  uuid?: string;
  num_chunks_from_msg?: number;
  total_chunk_msg_size?: number;
  chunk_id?: number;
  null_partition_key?: boolean;
}

export interface SingleMessageMetadata {
  properties?: KeyValue[];
  partition_key?: string;
  payload_size: number;
  compacted_out?: boolean;
  event_time?: Uint64;
  partition_key_b64_encoded?: boolean;
  ordering_key?: Uint8Array;
  sequence_id?: Uint64;
  null_value?: boolean;
  null_partition_key?: boolean;
}

interface FeatureFlags {
  supports_auth_refresh?: boolean;
  supports_broker_entry_metadata?: boolean;
}
interface AuthData {
  auth_method_name?: string;
  auth_data?: Uint8Array;
}
type Id = { request_id: Uint64 };
/** A transaction id on the wire: most bits = coordinator id, least bits = sequence in that coordinator. */
export type TxnBits = { txnid_least_bits?: Uint64; txnid_most_bits?: Uint64 };
type TxnReply = Id & TxnBits & { error?: ServerError; message?: string };

/** KeySharedMeta.keySharedMode: AUTO_SPLIT = 0, STICKY = 1; hash ranges are inclusive, within [0, 65535]. */
export interface KeySharedMeta {
  keySharedMode: number;
  hashRanges?: { start: number; end: number }[];
  allowOutOfOrderDelivery?: boolean;
}

/** CommandGetTopicsOfNamespace.mode. */
export enum TopicsMode {
  PERSISTENT = 0,
  NON_PERSISTENT = 1,
  ALL = 2,
}

export enum TxnAction {
  COMMIT = 0,
  ABORT = 1,
}

/** The commands this client builds or reads; every field optional as on the wire. */
export interface BaseCommand {
  type: CommandType;
  connect?: {
    client_version: string;
    auth_data?: Uint8Array;
    protocol_version: number;
    auth_method_name?: string;
    proxy_to_broker_url?: string;
    feature_flags?: FeatureFlags;
  };
  connected?: { server_version: string; protocol_version?: number; max_message_size?: number };
  subscribe?: Id & {
    topic: string;
    subscription: string;
    subType: number;
    consumer_id: Uint64;
    consumer_name?: string;
    priority_level?: number;
    durable?: boolean;
    start_message_id?: MessageIdData;
    metadata?: KeyValue[];
    read_compacted?: boolean;
    initialPosition?: number;
    force_topic_creation?: boolean;
    keySharedMeta?: KeySharedMeta;
    consumer_epoch?: Uint64;
  };
  producer?: Id & {
    topic: string;
    producer_id: Uint64;
    producer_name?: string;
    metadata?: KeyValue[];
    epoch?: Uint64;
    user_provided_producer_name?: boolean;
    producer_access_mode?: number;
    topic_epoch?: Uint64;
    txn_enabled?: boolean;
    initial_subscription_name?: string;
  };
  send?: TxnBits & {
    producer_id: Uint64;
    sequence_id: Uint64;
    num_messages?: number;
    highest_sequence_id?: Uint64;
    is_chunk?: boolean;
  };
  send_receipt?: { producer_id: Uint64; sequence_id: Uint64; message_id?: MessageIdData };
  send_error?: { producer_id: Uint64; sequence_id: Uint64; error: ServerError; message: string };
  message?: {
    consumer_id: Uint64;
    message_id: MessageIdData;
    redelivery_count?: number;
    ack_set?: Uint64[];
    consumer_epoch?: Uint64;
  };
  ack?: TxnBits & {
    consumer_id: Uint64;
    ack_type: number;
    message_id: MessageIdData[];
    validation_error?: number;
    request_id?: Uint64;
  };
  flow?: { consumer_id: Uint64; messagePermits: number };
  unsubscribe?: Id & { consumer_id: Uint64; force?: boolean };
  success?: Id;
  error?: Id & { error: ServerError; message: string };
  close_producer?: Id & {
    producer_id: Uint64;
    assignedBrokerServiceUrl?: string;
    assignedBrokerServiceUrlTls?: string;
  };
  close_consumer?: Id & {
    consumer_id: Uint64;
    assignedBrokerServiceUrl?: string;
    assignedBrokerServiceUrlTls?: string;
  };
  producer_success?: Id & {
    producer_name: string;
    last_sequence_id?: Uint64;
    schema_version?: Uint8Array;
    topic_epoch?: Uint64;
    producer_ready?: boolean;
  };
  ping?: Record<string, never>;
  pong?: Record<string, never>;
  redeliver?: { consumer_id: Uint64; message_ids?: MessageIdData[]; consumer_epoch?: Uint64 };
  partition_metadata?: Id & { topic: string };
  partition_metadata_response?: Id & {
    partitions?: number;
    response?: number;
    error?: ServerError;
    message?: string;
  };
  lookup?: Id & { topic: string; authoritative?: boolean; advertised_listener_name?: string };
  lookup_response?: Id & {
    brokerServiceUrl?: string;
    brokerServiceUrlTls?: string;
    response?: number;
    authoritative?: boolean;
    error?: ServerError;
    message?: string;
    proxy_through_service_url?: boolean;
  };
  reached_end_of_topic?: { consumer_id: Uint64 };
  seek?: Id & { consumer_id: Uint64; message_id?: MessageIdData; message_publish_time?: Uint64 };
  get_last_message_id?: Id & { consumer_id: Uint64 };
  get_last_message_id_response?: Id & {
    last_message_id: MessageIdData;
    consumer_mark_delete_position?: MessageIdData;
  };
  active_consumer_change?: { consumer_id: Uint64; is_active?: boolean };
  get_topics_of_namespace?: Id & {
    namespace: string;
    mode?: TopicsMode;
    topics_pattern?: string;
    topics_hash?: string;
  };
  get_topics_of_namespace_response?: Id & {
    topics?: string[];
    filtered?: boolean;
    topics_hash?: string;
    changed?: boolean;
  };
  auth_challenge?: { server_version?: string; challenge?: AuthData; protocol_version?: number };
  auth_response?: { client_version?: string; response?: AuthData; protocol_version?: number };
  ack_response?: TxnReply & { consumer_id: Uint64 };
  tc_client_connect_request?: Id & { tc_id: Uint64 };
  tc_client_connect_response?: Id & { error?: ServerError; message?: string };
  new_txn?: Id & { txn_ttl_seconds?: Uint64; tc_id?: Uint64 };
  new_txn_response?: TxnReply;
  add_partition_to_txn?: Id & TxnBits & { partitions: string[] };
  add_partition_to_txn_response?: TxnReply;
  add_subscription_to_txn?: Id & TxnBits & { subscription: { topic: string; subscription: string }[] };
  add_subscription_to_txn_response?: TxnReply;
  end_txn?: Id & TxnBits & { txn_action: TxnAction };
  end_txn_response?: TxnReply;
  topic_migrated?: {
    resource_id: Uint64;
    resource_type: number;
    brokerServiceUrl?: string;
    brokerServiceUrlTls?: string;
  };
}

export function encodeBaseCommand(command: BaseCommand): Uint8Array {
  return BaseCommandType.encode(command as unknown as protobuf.Message).finish();
}

export function decodeBaseCommand(bytes: Uint8Array): BaseCommand {
  return BaseCommandType.decode(bytes) as unknown as BaseCommand;
}

/** Field presence as protobufjs reports it (defaults live on the prototype). */
export function has<T extends object>(message: T, field: keyof T): boolean {
  return Object.prototype.hasOwnProperty.call(message, field);
}

/** A wire uint64/int64 read as a signed 64-bit bigint (ledger -1 stays -1). */
export function toBigInt(value: Uint64 | undefined | null): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number') return BigInt(value);
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
}

export function toLong(value: bigint, unsigned = true): Long {
  const masked = BigInt.asUintN(64, value);
  return Long.fromBits(Number(masked & 0xffffffffn) | 0, Number(masked >> 32n) | 0, unsigned);
}

/** Ids we generate (request, producer, consumer, sequence) stay below 2^53. */
export function toNumber(value: Uint64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
