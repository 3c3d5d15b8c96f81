import type { Message } from '@gyre/pulsar';

/** A message as an HTTP consumer receives it. */
export interface LeasedMessage {
  leaseToken: string;
  /** Pulsar's message id, opaque (the form ingestion answers with). */
  messageId: string;
  key: string | null;
  eventTime: string | null;
  publishTime: string;
  properties: Record<string, string>;
  /** Times the broker delivered this message before (0 on the first delivery). */
  redeliveryCount: number;
  /** The payload as ingested (JSON); null when the message was not JSON (then see payloadBase64). */
  payload: unknown;
  /** Only for a message some other producer published that is not JSON: its bytes. */
  payloadBase64?: string;
}

export interface PullResult {
  messages: LeasedMessage[];
  /** When every lease of this pull ends unless acked. */
  leaseExpiresAt: string;
}

export function leasedMessage(message: Message, leaseToken: string): LeasedMessage {
  const data = message.getData();
  const eventTime = message.getEventTimestamp();
  const view: LeasedMessage = {
    leaseToken,
    messageId: message.getMessageId().toOpaqueString(),
    key: message.getPartitionKey() ?? null,
    eventTime: eventTime > 0 ? new Date(eventTime).toISOString() : null,
    publishTime: new Date(message.getPublishTimestamp()).toISOString(),
    properties: message.getProperties(),
    redeliveryCount: message.getRedeliveryCount(),
    payload: null,
  };
  try {
    view.payload = JSON.parse(data.toString('utf8'));
  } catch {
    view.payloadBase64 = data.toString('base64');
  }
  return view;
}
