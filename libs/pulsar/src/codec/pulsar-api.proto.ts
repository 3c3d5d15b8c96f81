/**
 * The subset of Pulsar's PulsarApi.proto this client speaks, written from the protocol's field tables.
 * Field numbers are protocol facts; names are ours (snake_case, kept as-is by the parser).
 */
export const PULSAR_API_PROTO = `
syntax = "proto2";
package pulsar.proto;

enum CompressionType { NONE = 0; LZ4 = 1; ZLIB = 2; ZSTD = 3; SNAPPY = 4; }
enum ProducerAccessMode { Shared = 0; Exclusive = 1; WaitForExclusive = 2; ExclusiveWithFencing = 3; }

message KeyValue { required string key = 1; required string value = 2; }
message KeyLongValue { required string key = 1; required uint64 value = 2; }
message IntRange { required int32 start = 1; required int32 end = 2; }

message MessageIdData {
  required uint64 ledgerId = 1;
  required uint64 entryId = 2;
  optional int32 partition = 3 [default = -1];
  optional int32 batch_index = 4 [default = -1];
  repeated int64 ack_set = 5;
  optional int32 batch_size = 6;
  optional MessageIdData first_chunk_message_id = 7;
}

message Schema {
  required string name = 1;
  required bytes schema_data = 3;
  required int32 type = 4;
  repeated KeyValue properties = 5;
}

message MessageMetadata {
  required string producer_name = 1;
  required uint64 sequence_id = 2;
  required uint64 publish_time = 3;
  repeated KeyValue properties = 4;
  optional string replicated_from = 5;
  optional string partition_key = 6;
  repeated string replicate_to = 7;
  optional CompressionType compression = 8 [default = NONE];
  optional uint32 uncompressed_size = 9 [default = 0];
  optional int32 num_messages_in_batch = 11 [default = 1];
  optional uint64 event_time = 12 [default = 0];
  optional bytes schema_version = 16;
  optional bool partition_key_b64_encoded = 17 [default = false];
  optional bytes ordering_key = 18;
  optional int64 deliver_at_time = 19;
  optional int32 marker_type = 20;
  optional uint64 txnid_least_bits = 22;
  optional uint64 txnid_most_bits = 23;
  optional uint64 highest_sequence_id = 24 [default = 0];
  optional bool null_value = 25 [default = false];
  optional string uuid = 26;
  optional int32 num_chunks_from_msg = 27;
  optional int32 total_chunk_msg_size = 28;
  optional int32 chunk_id = 29;
  optional bool null_partition_key = 30 [default = false];
}

message SingleMessageMetadata {
  repeated KeyValue properties = 1;
  optional string partition_key = 2;
  required int32 payload_size = 3;
  optional bool compacted_out = 4 [default = false];
  optional uint64 event_time = 5 [default = 0];
  optional bool partition_key_b64_encoded = 6 [default = false];
  optional bytes ordering_key = 7;
  optional uint64 sequence_id = 8;
  optional bool null_value = 9 [default = false];
  optional bool null_partition_key = 10 [default = false];
}

message BrokerEntryMetadata { optional uint64 broker_timestamp = 1; optional uint64 index = 2; }

message FeatureFlags {
  optional bool supports_auth_refresh = 1 [default = false];
  optional bool supports_broker_entry_metadata = 2 [default = false];
  optional bool supports_partial_producer = 3 [default = false];
  optional bool supports_topic_watchers = 4 [default = false];
}

message AuthData { optional string auth_method_name = 1; optional bytes auth_data = 2; }

message KeySharedMeta {
  required int32 keySharedMode = 1;
  repeated IntRange hashRanges = 3;
  optional bool allowOutOfOrderDelivery = 4 [default = false];
}

message CommandConnect {
  required string client_version = 1;
  optional bytes auth_data = 3;
  optional int32 protocol_version = 4 [default = 0];
  optional string auth_method_name = 5;
  optional string proxy_to_broker_url = 6;
  optional FeatureFlags feature_flags = 10;
}

message CommandConnected {
  required string server_version = 1;
  optional int32 protocol_version = 2 [default = 0];
  optional int32 max_message_size = 3;
  optional FeatureFlags feature_flags = 4;
}

message CommandAuthResponse { optional string client_version = 1; optional AuthData response = 2; optional int32 protocol_version = 3 [default = 0]; }
message CommandAuthChallenge { optional string server_version = 1; optional AuthData challenge = 2; optional int32 protocol_version = 3 [default = 0]; }

message CommandSubscribe {
  required string topic = 1;
  required string subscription = 2;
  required int32 subType = 3;
  required uint64 consumer_id = 4;
  required uint64 request_id = 5;
  optional string consumer_name = 6;
  optional int32 priority_level = 7;
  optional bool durable = 8 [default = true];
  optional MessageIdData start_message_id = 9;
  repeated KeyValue metadata = 10;
  optional bool read_compacted = 11;
  optional Schema schema = 12;
  optional int32 initialPosition = 13 [default = 0];
  optional bool replicate_subscription_state = 14;
  optional bool force_topic_creation = 15 [default = true];
  optional uint64 start_message_rollback_duration_sec = 16 [default = 0];
  optional KeySharedMeta keySharedMeta = 17;
  repeated KeyValue subscription_properties = 18;
  optional uint64 consumer_epoch = 19;
}

message CommandPartitionedTopicMetadata { required string topic = 1; required uint64 request_id = 2; }
message CommandPartitionedTopicMetadataResponse {
  optional uint32 partitions = 1;
  required uint64 request_id = 2;
  optional int32 response = 3;
  optional int32 error = 4;
  optional string message = 5;
}

message CommandLookupTopic {
  required string topic = 1;
  required uint64 request_id = 2;
  optional bool authoritative = 3 [default = false];
  optional string advertised_listener_name = 7;
}
message CommandLookupTopicResponse {
  optional string brokerServiceUrl = 1;
  optional string brokerServiceUrlTls = 2;
  optional int32 response = 3;
  required uint64 request_id = 4;
  optional bool authoritative = 5 [default = false];
  optional int32 error = 6;
  optional string message = 7;
  optional bool proxy_through_service_url = 8 [default = false];
}

message CommandProducer {
  required string topic = 1;
  required uint64 producer_id = 2;
  required uint64 request_id = 3;
  optional string producer_name = 4;
  optional bool encrypted = 5 [default = false];
  repeated KeyValue metadata = 6;
  optional Schema schema = 7;
  optional uint64 epoch = 8 [default = 0];
  optional bool user_provided_producer_name = 9 [default = true];
  optional ProducerAccessMode producer_access_mode = 10 [default = Shared];
  optional uint64 topic_epoch = 11;
  optional bool txn_enabled = 12 [default = false];
  optional string initial_subscription_name = 13;
}

message CommandSend {
  required uint64 producer_id = 1;
  required uint64 sequence_id = 2;
  optional int32 num_messages = 3 [default = 1];
  optional uint64 txnid_least_bits = 4 [default = 0];
  optional uint64 txnid_most_bits = 5 [default = 0];
  optional uint64 highest_sequence_id = 6 [default = 0];
  optional bool is_chunk = 7 [default = false];
}
message CommandSendReceipt {
  required uint64 producer_id = 1;
  required uint64 sequence_id = 2;
  optional MessageIdData message_id = 3;
  optional uint64 highest_sequence_id = 4 [default = 0];
}
message CommandSendError { required uint64 producer_id = 1; required uint64 sequence_id = 2; required int32 error = 3; required string message = 4; }

message CommandMessage {
  required uint64 consumer_id = 1;
  required MessageIdData message_id = 2;
  optional uint32 redelivery_count = 3 [default = 0];
  repeated int64 ack_set = 4;
  optional uint64 consumer_epoch = 5;
}

message CommandAck {
  required uint64 consumer_id = 1;
  required int32 ack_type = 2;
  repeated MessageIdData message_id = 3;
  optional int32 validation_error = 4;
  repeated KeyLongValue properties = 5;
  optional uint64 txnid_least_bits = 6 [default = 0];
  optional uint64 txnid_most_bits = 7 [default = 0];
  optional uint64 request_id = 8;
}
message CommandAckResponse {
  required uint64 consumer_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  optional int32 error = 4;
  optional string message = 5;
  optional uint64 request_id = 6;
}

message CommandActiveConsumerChange { required uint64 consumer_id = 1; optional bool is_active = 2 [default = false]; }
message CommandFlow { required uint64 consumer_id = 1; required uint32 messagePermits = 2; }
message CommandUnsubscribe { required uint64 consumer_id = 1; required uint64 request_id = 2; optional bool force = 3 [default = false]; }
message CommandSeek { required uint64 consumer_id = 1; required uint64 request_id = 2; optional MessageIdData message_id = 3; optional uint64 message_publish_time = 4; }
message CommandReachedEndOfTopic { required uint64 consumer_id = 1; }
message CommandCloseProducer { required uint64 producer_id = 1; required uint64 request_id = 2; optional string assignedBrokerServiceUrl = 3; optional string assignedBrokerServiceUrlTls = 4; }
message CommandCloseConsumer { required uint64 consumer_id = 1; required uint64 request_id = 2; optional string assignedBrokerServiceUrl = 3; optional string assignedBrokerServiceUrlTls = 4; }
message CommandRedeliverUnacknowledgedMessages { required uint64 consumer_id = 1; repeated MessageIdData message_ids = 2; optional uint64 consumer_epoch = 3; }
message CommandSuccess { required uint64 request_id = 1; optional Schema schema = 2; }
message CommandProducerSuccess {
  required uint64 request_id = 1;
  required string producer_name = 2;
  optional int64 last_sequence_id = 3 [default = -1];
  optional bytes schema_version = 4;
  optional uint64 topic_epoch = 5;
  optional bool producer_ready = 6 [default = true];
}
message CommandError { required uint64 request_id = 1; required int32 error = 2; required string message = 3; }
message CommandPing {}
message CommandPong {}
message CommandGetLastMessageId { required uint64 consumer_id = 1; required uint64 request_id = 2; }
message CommandGetLastMessageIdResponse { required MessageIdData last_message_id = 1; required uint64 request_id = 2; optional MessageIdData consumer_mark_delete_position = 3; }
// The namespace's topics, filtered by the broker when it evaluates topics_pattern (then filtered = true).
message CommandGetTopicsOfNamespace {
  required uint64 request_id = 1;
  required string namespace = 2;
  optional int32 mode = 3 [default = 0];
  optional string topics_pattern = 4;
  optional string topics_hash = 5;
}
message CommandGetTopicsOfNamespaceResponse {
  required uint64 request_id = 1;
  repeated string topics = 2;
  optional bool filtered = 3 [default = false];
  optional string topics_hash = 4;
  optional bool changed = 5 [default = true];
}
message CommandTopicMigrated { required uint64 resource_id = 1; required int32 resource_type = 2; optional string brokerServiceUrl = 3; optional string brokerServiceUrlTls = 4; }

// Transactions (PIP-31): the client talks to a transaction coordinator (TC) for the txn's life, and
// carries the txn id on SEND and ACK. TxnAction: COMMIT = 0, ABORT = 1.
message CommandTcClientConnectRequest { required uint64 request_id = 1; required uint64 tc_id = 2 [default = 0]; }
message CommandTcClientConnectResponse { required uint64 request_id = 1; optional int32 error = 2; optional string message = 3; }
message CommandNewTxn {
  required uint64 request_id = 1;
  optional uint64 txn_ttl_seconds = 2 [default = 0];
  optional uint64 tc_id = 3 [default = 0];
}
message CommandNewTxnResponse {
  required uint64 request_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  optional int32 error = 4;
  optional string message = 5;
}
message CommandAddPartitionToTxn {
  required uint64 request_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  repeated string partitions = 4;
}
message TxnSubscription { required string topic = 1; required string subscription = 2; }
message CommandAddSubscriptionToTxn {
  required uint64 request_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  repeated TxnSubscription subscription = 4;
}
message CommandEndTxn {
  required uint64 request_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  optional int32 txn_action = 4;
}
// The responses to ADD_PARTITION_TO_TXN, ADD_SUBSCRIPTION_TO_TXN and END_TXN share this shape.
message CommandTxnResponse {
  required uint64 request_id = 1;
  optional uint64 txnid_least_bits = 2 [default = 0];
  optional uint64 txnid_most_bits = 3 [default = 0];
  optional int32 error = 4;
  optional string message = 5;
}

message BaseCommand {
  required int32 type = 1;
  optional CommandConnect connect = 2;
  optional CommandConnected connected = 3;
  optional CommandSubscribe subscribe = 4;
  optional CommandProducer producer = 5;
  optional CommandSend send = 6;
  optional CommandSendReceipt send_receipt = 7;
  optional CommandSendError send_error = 8;
  optional CommandMessage message = 9;
  optional CommandAck ack = 10;
  optional CommandFlow flow = 11;
  optional CommandUnsubscribe unsubscribe = 12;
  optional CommandSuccess success = 13;
  optional CommandError error = 14;
  optional CommandCloseProducer close_producer = 15;
  optional CommandCloseConsumer close_consumer = 16;
  optional CommandProducerSuccess producer_success = 17;
  optional CommandPing ping = 18;
  optional CommandPong pong = 19;
  optional CommandRedeliverUnacknowledgedMessages redeliver = 20;
  optional CommandPartitionedTopicMetadata partition_metadata = 21;
  optional CommandPartitionedTopicMetadataResponse partition_metadata_response = 22;
  optional CommandLookupTopic lookup = 23;
  optional CommandLookupTopicResponse lookup_response = 24;
  optional CommandReachedEndOfTopic reached_end_of_topic = 27;
  optional CommandSeek seek = 28;
  optional CommandGetLastMessageId get_last_message_id = 29;
  optional CommandGetLastMessageIdResponse get_last_message_id_response = 30;
  optional CommandActiveConsumerChange active_consumer_change = 31;
  optional CommandGetTopicsOfNamespace get_topics_of_namespace = 32;
  optional CommandGetTopicsOfNamespaceResponse get_topics_of_namespace_response = 33;
  optional CommandAuthChallenge auth_challenge = 36;
  optional CommandAuthResponse auth_response = 37;
  optional CommandAckResponse ack_response = 38;
  optional CommandNewTxn new_txn = 50;
  optional CommandNewTxnResponse new_txn_response = 51;
  optional CommandAddPartitionToTxn add_partition_to_txn = 52;
  optional CommandTxnResponse add_partition_to_txn_response = 53;
  optional CommandAddSubscriptionToTxn add_subscription_to_txn = 54;
  optional CommandTxnResponse add_subscription_to_txn_response = 55;
  optional CommandEndTxn end_txn = 56;
  optional CommandTxnResponse end_txn_response = 57;
  optional CommandTcClientConnectRequest tc_client_connect_request = 62;
  optional CommandTcClientConnectResponse tc_client_connect_response = 63;
  optional CommandTopicMigrated topic_migrated = 68;
}
`;
