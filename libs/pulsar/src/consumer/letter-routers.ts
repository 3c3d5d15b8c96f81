import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import { fullTopicName } from '../lookup/topic-name';
import { DeadLetterRouter } from './dead-letter';
import { DEFAULT_MAX_RECONSUME_TIMES, defaultRetryLetterTopic } from './letter-topics';
import { ConsumerOptions } from './options';
import { RetryLetterRouter } from './retry-letter';

/**
 * A consumer's dead-letter and retry-letter routers, as its options ask. With `enableRetry` the retry
 * topic joins `topicNames`: the consumer reads its own retry letters.
 */
export function letterRouters(
  config: ConsumerOptions,
  topicNames: string[],
  createProducer: (config: ProducerConfig) => Promise<Producer>,
): { deadLetter?: DeadLetterRouter; retryLetter?: RetryLetterRouter } {
  const policy = config.enableRetry
    ? { maxRedeliverCount: DEFAULT_MAX_RECONSUME_TIMES, ...config.deadLetterPolicy }
    : config.deadLetterPolicy;
  if (!policy) return {};
  const deadLetter = new DeadLetterRouter(policy, topicNames[0], config.subscription, createProducer);
  if (!config.enableRetry) return { deadLetter };
  const retryTopic = fullTopicName(
    policy.retryLetterTopic ?? defaultRetryLetterTopic(topicNames[0], config.subscription),
  );
  const retryLetter = new RetryLetterRouter(
    retryTopic,
    config.subscription,
    policy.maxRedeliverCount,
    deadLetter,
    createProducer,
  );
  if (!topicNames.includes(retryTopic)) topicNames.push(retryTopic);
  return { deadLetter, retryLetter };
}
