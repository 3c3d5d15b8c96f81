/** Examples shown in the OpenAPI document. */
export const SUBSCRIPTION_EXAMPLE = {
  name: 'ranking-trainer',
  type: 'Shared',
  backlog: {
    messages: 42,
    entries: 5,
    exact: true,
    ageSeconds: 93.4,
    oldestPublishTime: '2025-01-31T12:00:00.000Z',
  },
  msgRateOut: 120.5,
  msgThroughputOut: 61440,
  messageAckRate: 118.2,
  msgRateRedeliver: 0,
  unackedMessages: 3,
  consumers: 2,
  partitions: [{ partition: 0, entries: 5, messages: 42, oldestPublishTime: '2025-01-31T12:00:00.000Z' }],
};

export const PEEKED_MESSAGE_EXAMPLE = {
  messageId: 'CAcQAxgAIAI',
  position: '7:3:0:2',
  partition: 0,
  key: 'user-17',
  publishTime: '2025-01-31T12:00:00.120Z',
  eventTime: '2025-01-31T11:59:59.000Z',
  properties: { source: 'web' },
  payload: { user: 'user-17', amount: 3.5 },
};
