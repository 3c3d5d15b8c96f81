import { MessageId } from './codec/message-id';
import { validateConfig } from './config-rules';
import { InvalidArgumentError } from './errors';

describe(validateConfig.name, () => {
  it('refuses a negative nAckRedeliverTimeoutMs with the official message', () => {
    expect(() =>
      validateConfig('consumer', { topic: 't', subscription: 's', nAckRedeliverTimeoutMs: -1 }),
    ).toThrow('InvalidConfiguration: NAck timeout should be greater than or equal to zero');
  });

  it('refuses a reader without startMessageId instead of failing later with a TypeError', () => {
    expect(() => validateConfig('reader', { topic: 't' })).toThrow(
      'StartMessageId is required and must be specified as a MessageId object when creating reader',
    );
    expect(() =>
      validateConfig('reader', { topic: 't', startMessageId: MessageId.earliest() }),
    ).not.toThrow();
  });

  it.each([
    ['client', {}, 'Service URL is required and must be specified as a string'],
    ['producer', {}, 'Topic is required and must be specified as a string when creating producer'],
    [
      'consumer',
      { subscription: 's' },
      'Topic, topics or topicsPattern is required and must be specified as a string when creating consumer',
    ],
    [
      'consumer',
      { topic: 't' },
      'Subscription is required and must be specified as a string when creating consumer',
    ],
    ['consumer', { topic: 't', subscription: 's', ackTimeoutMs: 500 }, 'Ack timeout should be 0 or greater'],
    [
      'consumer',
      { topic: 't', subscription: 's', receiverQueueSize: 0 },
      'receiverQueueSize must be a number >= 1',
    ],
    ['producer', { topic: 't', sendTimeoutMs: -5 }, 'sendTimeoutMs must be a number >= 0'],
    [
      'client',
      { serviceUrl: 'pulsar://h', operationTimeoutSeconds: 0 },
      'operationTimeoutSeconds must be a number > 0',
    ],
    ['message', { data: 'text' }, 'Message data is required and must be specified as a Buffer'],
    ['reader', { topic: 42, startMessageId: MessageId.latest() }, 'Topic is required'],
  ] as const)('refuses a %s config: %#', (kind, config, message) => {
    expect(() => validateConfig(kind, config)).toThrow(InvalidArgumentError);
    expect(() => validateConfig(kind, config)).toThrow(message);
  });

  it('takes a topicsPattern in place of topic or topics', () => {
    expect(() =>
      validateConfig('consumer', {
        topicsPattern: 'persistent://public/default/orders-.*',
        subscription: 's',
      }),
    ).not.toThrow();
  });

  it('refuses chunk settings of the wrong type or range, naming them', () => {
    const consumer = { topic: 't', subscription: 's' };
    expect(() => validateConfig('consumer', { ...consumer, maxPendingChunkedMessage: -1 })).toThrow(
      'maxPendingChunkedMessage must be a number >= 0, got -1',
    );
    expect(() =>
      validateConfig('consumer', { ...consumer, autoAckOldestChunkedMessageOnQueueFull: 1 }),
    ).toThrow('autoAckOldestChunkedMessageOnQueueFull must be a boolean');
    expect(() =>
      validateConfig('consumer', {
        ...consumer,
        maxPendingChunkedMessage: 0,
        expireTimeOfIncompleteChunkedMessageMs: 0,
      }),
    ).not.toThrow();
  });

  it('takes serviceUrlProvider in place of serviceUrl, never both', () => {
    const serviceUrlProvider = { primary: 'pulsar://a:6650', secondary: ['pulsar://b:6650'] };
    expect(() => validateConfig('client', { serviceUrlProvider })).not.toThrow();
    expect(() => validateConfig('client', { serviceUrl: 'pulsar://a:6650', serviceUrlProvider })).toThrow(
      'give either serviceUrl or serviceUrlProvider, not both',
    );
  });

  it('refuses a configuration that is not an object', () => {
    expect(() => validateConfig('producer', undefined)).toThrow(
      'the producer configuration must be an object',
    );
  });
});
