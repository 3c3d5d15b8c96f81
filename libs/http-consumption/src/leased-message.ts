import type { Message } from '@gyre/pulsar';
import { JsonText, jsonTextOf, messagesJson } from '@gyre/streams';

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
  /** Only for a message some other producer published that is not UTF-8 JSON: its bytes, unaltered. */
  payloadBase64?: string;
}

export interface PullResult {
  messages: LeasedMessage[];
  /** When every lease of this pull ends unless acked. */
  leaseExpiresAt: string;
}

export function leasedMessage(
  message: Message,
  leaseToken: string,
  messageId = message.getMessageId().toOpaqueString(),
): LeasedMessage {
  const data = message.getData();
  const eventTime = message.getEventTimestamp();
  const view: LeasedMessage = {
    leaseToken,
    messageId,
    key: message.hasPartitionKey() ? message.getPartitionKey() : null,
    eventTime: eventTime > 0 ? new Date(eventTime).toISOString() : null,
    publishTime: new Date(message.getPublishTimestamp()).toISOString(),
    properties: message.getProperties(),
    redeliveryCount: message.getRedeliveryCount(),
    payload: null,
  };
  // Checked only to know it is UTF-8 JSON: the text itself goes into the response (pullResultJson).
  const text = jsonTextOf(data);
  if (text === undefined) view.payloadBase64 = data.toString('base64');
  else view.payload = new JsonText(text);
  return view;
}

/**
 * The JSON of a pull's answer, with each payload's text spliced in as published instead of parsed and
 * serialised again (the larger share of a pull's CPU for 1-KiB events).
 */
export function pullResultJson(result: PullResult): string {
  return `{"messages":${messagesJson(result.messages)},"leaseExpiresAt":${JSON.stringify(result.leaseExpiresAt)}}`;
}
