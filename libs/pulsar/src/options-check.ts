import { InvalidArgumentError } from './errors';

/**
 * Every option name of the official `pulsar-client` (1.x) API, per kind, and what this client does with
 * it: `true` = implemented; a string = refused, saying why; `{ values, otherwise }` = implemented for
 * those values only. Unknown names are refused too: an option silently ignored is the worst port bug.
 * Lifting a refusal once the option is implemented is one line here.
 */
export type OptionKind = 'client' | 'producer' | 'consumer' | 'reader' | 'message';
type Rule = true | string | { values: readonly unknown[]; otherwise: string };

const ENCRYPTION = 'end-to-end encryption is not implemented (the payload would be stored in plain text)';
const SCHEMA = 'schemas are not implemented: send and read bytes';
const NOT_YET = 'not implemented yet';

const RULES: Record<OptionKind, Record<string, Rule>> = {
  client: {
    serviceUrl: true,
    authentication: true,
    operationTimeoutSeconds: true,
    connectionTimeoutMs: true,
    keepAliveIntervalSeconds: true,
    tlsTrustCertsFilePath: true,
    tlsCertificateFilePath: true,
    tlsPrivateKeyFilePath: true,
    tlsValidateHostname: true,
    tlsAllowInsecureConnection: true,
    listenerName: true,
    maxLookupRedirects: true,
    backoff: true,
    socketFactory: true,
    useTls: 'TLS follows the service URL: use pulsar+ssl://',
    ioThreads: 'no thread pool here: the client runs on the Node event loop',
    messageListenerThreads: 'no thread pool here: listeners run on the Node event loop',
    concurrentLookupRequest: NOT_YET,
    statsIntervalInSeconds: 'no stats log: subscribe to client events (client.on) instead',
    log: 'the client never logs: subscribe to client events (client.on) instead',
    logLevel: 'the client never logs: subscribe to client events (client.on) instead',
    serviceUrlProvider: true,
  },
  producer: {
    topic: true,
    producerName: true,
    sendTimeoutMs: true,
    initialSequenceId: true,
    maxPendingMessages: true,
    messageRoutingMode: {
      values: ['RoundRobinDistribution', 'UseSinglePartition', 'CustomPartition'],
      otherwise: 'unknown routing mode',
    },
    hashingScheme: {
      values: ['JavaStringHash', 'Murmur3_32Hash'],
      otherwise: 'BoostHash cannot be reproduced outside C++',
    },
    compressionType: { values: ['None', 'LZ4', 'Zlib', 'ZSTD', 'SNAPPY'], otherwise: 'unknown codec' },
    batchingEnabled: true,
    batchingMaxPublishDelayMs: true,
    batchingMaxMessages: true,
    batchingMaxAllowedSizeInBytes: true,
    batchingType: { values: ['DefaultBatching', 'KeyBasedBatching'], otherwise: 'unknown batcher' },
    properties: true,
    accessMode: {
      values: ['Shared', 'Exclusive', 'ExclusiveWithFencing'],
      otherwise: 'WaitForExclusive is not implemented',
    },
    initialSubscriptionName: true,
    maxPendingMessagesAcrossPartitions: 'maxPendingMessages is counted per partition',
    blockIfQueueFull: { values: [false], otherwise: 'a full queue fails the send with ProducerQueueIsFull' },
    chunkingEnabled: true,
    publicKeyPath: ENCRYPTION,
    encryptionKey: ENCRYPTION,
    encryptionKeys: ENCRYPTION,
    cryptoFailureAction: ENCRYPTION,
    cryptoKeyReader: ENCRYPTION,
    schema: SCHEMA,
    messageRouter: true,
  },
  consumer: {
    topic: true,
    topics: true,
    subscription: true,
    subscriptionType: { values: ['Exclusive', 'Shared', 'Failover', 'KeyShared'], otherwise: 'unknown type' },
    subscriptionInitialPosition: { values: ['Latest', 'Earliest'], otherwise: 'unknown position' },
    consumerName: true,
    receiverQueueSize: true,
    ackTimeoutMs: true,
    nAckRedeliverTimeoutMs: true,
    batchIndexAckEnabled: true,
    deadLetterPolicy: true,
    enableRetry: true,
    properties: true,
    priorityLevel: true,
    readCompacted: true,
    listener: true,
    topicsPattern: true,
    regexSubscriptionMode: {
      values: ['PersistentOnly', 'NonPersistentOnly', 'AllTopics'],
      otherwise: 'unknown regex subscription mode',
    },
    // Not in the official Node client: how often a topicsPattern consumer looks for new topics (seconds).
    patternAutoDiscoveryPeriod: true,
    batchReceivePolicy: true,
    keySharedPolicy: true,
    receiverQueueSizeAcrossPartitions: 'receiverQueueSize is counted per partition',
    maxPendingChunkedMessage: true,
    autoAckOldestChunkedMessageOnQueueFull: true,
    // Not in the official Node client (the C++ engine's setting, 60 000 ms there too).
    expireTimeOfIncompleteChunkedMessageMs: true,
    privateKeyPath: ENCRYPTION,
    cryptoFailureAction: ENCRYPTION,
    cryptoKeyReader: ENCRYPTION,
    schema: SCHEMA,
    replicateSubscriptionState: NOT_YET,
  },
  reader: {
    topic: true,
    startMessageId: true,
    startMessageIdInclusive: true,
    receiverQueueSize: true,
    readerName: true,
    subscriptionRolePrefix: true,
    readCompacted: NOT_YET,
    listener: 'readers have no listener here: loop on readNext()',
    privateKeyPath: ENCRYPTION,
    cryptoFailureAction: ENCRYPTION,
    cryptoKeyReader: ENCRYPTION,
    schema: SCHEMA,
  },
  message: {
    data: true,
    properties: true,
    eventTimestamp: true,
    sequenceId: true,
    partitionKey: true,
    orderingKey: true,
    deliverAfter: true,
    deliverAt: true,
    replicationClusters: 'geo-replication control is not implemented',
    disableReplication: 'geo-replication control is not implemented',
  },
};

/**
 * Messages are often built by spreading application records, so their unknown fields are data, not
 * settings: only the official message options not implemented are refused there.
 */
const UNKNOWN_NAMES_ALLOWED: ReadonlySet<OptionKind> = new Set(['message']);

/**
 * Refuses (INVALID_ARGUMENT, "InvalidConfiguration: ...") any option this client does not implement, and
 * any name it does not know (except in messages). Options set to `undefined` count as absent.
 */
export function checkOptions(kind: OptionKind, options: object): void {
  const rules = RULES[kind];
  // for...in, not Object.entries: this runs for every message sent, and allocates nothing.
  for (const name in options) {
    if (!Object.prototype.hasOwnProperty.call(options, name)) continue;
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const rule = Object.prototype.hasOwnProperty.call(rules, name) ? rules[name] : undefined;
    if (rule === true) continue;
    if (rule === undefined) {
      if (UNKNOWN_NAMES_ALLOWED.has(kind)) continue;
      throw new InvalidArgumentError(`unknown ${kind} option '${name}'`);
    }
    if (typeof rule === 'string')
      throw new InvalidArgumentError(`${kind} option '${name}' is not supported by @gyre/pulsar: ${rule}`);
    if (!rule.values.includes(value)) {
      const allowed = rule.values.map((v) => JSON.stringify(v)).join(', ');
      throw new InvalidArgumentError(
        `${kind} option '${name}' = ${JSON.stringify(value)} is not supported by @gyre/pulsar ` +
          `(${allowed} only): ${rule.otherwise}`,
      );
    }
  }
}

/** The option names of a kind and how each is handled (for the compatibility table and its tests). */
export function optionRules(kind: OptionKind): Readonly<Record<string, Rule>> {
  return RULES[kind];
}
