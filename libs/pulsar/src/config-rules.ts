import { MessageId } from './codec/message-id';
import { InvalidArgumentError } from './errors';
import { OptionKind, checkOptions } from './options-check';

/**
 * Checks a configuration before anything touches the network: option names (options-check.ts), required
 * values and ranges. Messages keep the official client's wording where it has one, so a bad config fails
 * with InvalidArgumentError ("InvalidConfiguration: ...") and never with a TypeError from deep inside.
 */
export function validateConfig(kind: OptionKind, config: unknown): void {
  if (config === null || typeof config !== 'object')
    throw new InvalidArgumentError(`the ${kind} configuration must be an object`);
  checkOptions(kind, config);
  CHECKS[kind](config as Record<string, unknown>);
}

const CHECKS: Record<OptionKind, (config: Record<string, unknown>) => void> = {
  client(config) {
    if (config.serviceUrlProvider !== undefined) {
      if (config.serviceUrl !== undefined)
        throw new InvalidArgumentError('give either serviceUrl or serviceUrlProvider, not both');
    } else if (typeof config.serviceUrl !== 'string' || config.serviceUrl === '')
      throw new InvalidArgumentError('Service URL is required and must be specified as a string');
    atLeast(config, 'operationTimeoutSeconds', Number.MIN_VALUE);
    atLeast(config, 'connectionTimeoutMs', Number.MIN_VALUE);
    atLeast(config, 'keepAliveIntervalSeconds', Number.MIN_VALUE);
    atLeast(config, 'maxLookupRedirects', 0);
  },
  producer(config) {
    requireString(
      config,
      'topic',
      'Topic is required and must be specified as a string when creating producer',
    );
    atLeast(config, 'sendTimeoutMs', 0);
    atLeast(config, 'maxPendingMessages', 1);
    atLeast(config, 'batchingMaxPublishDelayMs', 0);
    atLeast(config, 'batchingMaxMessages', 1);
    atLeast(config, 'batchingMaxAllowedSizeInBytes', 1);
  },
  consumer(config) {
    const topics = config.topics;
    const hasTopics =
      Array.isArray(topics) && topics.length > 0 && topics.every((t) => typeof t === 'string');
    const hasPattern = typeof config.topicsPattern === 'string' && config.topicsPattern !== '';
    if (!(typeof config.topic === 'string' && config.topic !== '') && !hasTopics && !hasPattern)
      throw new InvalidArgumentError(
        'Topic, topics or topicsPattern is required and must be specified as a string when creating consumer',
      );
    requireString(
      config,
      'subscription',
      'Subscription is required and must be specified as a string when creating consumer',
    );
    const ackTimeoutMs = config.ackTimeoutMs;
    if (
      ackTimeoutMs !== undefined &&
      !(ackTimeoutMs === 0 || (isNumber(ackTimeoutMs) && ackTimeoutMs >= 1000))
    )
      throw new InvalidArgumentError('Ack timeout should be 0 or greater than or equal to 1000');
    const nackMs = config.nAckRedeliverTimeoutMs;
    if (nackMs !== undefined && !(isNumber(nackMs) && nackMs >= 0))
      throw new InvalidArgumentError('NAck timeout should be greater than or equal to zero');
    atLeast(config, 'receiverQueueSize', 1);
    atLeast(config, 'maxPendingChunkedMessage', 0);
    atLeast(config, 'expireTimeOfIncompleteChunkedMessageMs', 0);
    const autoAck = config.autoAckOldestChunkedMessageOnQueueFull;
    if (autoAck !== undefined && typeof autoAck !== 'boolean')
      throw new InvalidArgumentError('autoAckOldestChunkedMessageOnQueueFull must be a boolean');
    if (config.listener !== undefined && typeof config.listener !== 'function')
      throw new InvalidArgumentError('listener must be a function');
    const policy = config.deadLetterPolicy as Record<string, unknown> | undefined;
    if (policy !== undefined && !(isNumber(policy.maxRedeliverCount) && policy.maxRedeliverCount >= 1))
      throw new InvalidArgumentError('deadLetterPolicy.maxRedeliverCount must be a number >= 1');
  },
  reader(config) {
    requireString(
      config,
      'topic',
      'Topic is required and must be specified as a string when creating reader',
    );
    if (!(config.startMessageId instanceof MessageId))
      throw new InvalidArgumentError(
        'StartMessageId is required and must be specified as a MessageId object when creating reader',
      );
    atLeast(config, 'receiverQueueSize', 1);
  },
  message(config) {
    if (!Buffer.isBuffer(config.data))
      throw new InvalidArgumentError('Message data is required and must be specified as a Buffer');
  },
};

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function requireString(config: Record<string, unknown>, name: string, message: string): void {
  if (typeof config[name] !== 'string' || config[name] === '') throw new InvalidArgumentError(message);
}

function atLeast(config: Record<string, unknown>, name: string, min: number): void {
  const value = config[name];
  if (value === undefined) return;
  if (!isNumber(value) || value < min)
    throw new InvalidArgumentError(
      `${name} must be a number ${min === Number.MIN_VALUE ? '> 0' : `>= ${min}`}, got ${String(value)}`,
    );
}
