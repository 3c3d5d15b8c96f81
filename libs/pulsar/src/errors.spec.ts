import {
  AlreadyClosedError,
  BrokerError,
  InvalidArgumentError,
  PulsarClientError,
  TimeoutError,
} from './errors';

describe(PulsarClientError.name, () => {
  it('starts messages with the official result name, which ported applications match', () => {
    expect(new TimeoutError('TIMEOUT', 'no message within 100 ms').message).toBe(
      'TimeOut: no message within 100 ms',
    );
    expect(new TimeoutError('SEND_TIMEOUT', 'send timed out').message).toMatch(/^TimeOut: /);
    expect(new AlreadyClosedError('consumer').message).toBe('AlreadyClosed: consumer is closed');
    expect(new InvalidArgumentError('bad').message).toBe('InvalidConfiguration: bad');
    expect(new PulsarClientError('PRODUCER_QUEUE_FULL', 'queue full').message).toBe(
      'ProducerQueueIsFull: queue full',
    );
  });

  it('does not repeat a result name the message already starts with', () => {
    expect(new InvalidArgumentError('InvalidConfiguration: bad').message).toBe('InvalidConfiguration: bad');
  });

  it('keeps the broker error name first, as the official client reports it', () => {
    expect(new BrokerError('TopicNotFound', 'no such topic').message).toBe('TopicNotFound: no such topic');
  });
});
