import { MessageId, fromMessageIdData } from '../codec/message-id';
import { CommandType, has } from '../codec/protocol';
import { Connection } from '../connection/connection';

/** GET_LAST_MESSAGE_ID for one consumer: the topic's last message and the cursor's mark-delete position. */
export async function requestLastMessageId(
  connection: Connection,
  consumerId: number,
  partition: number,
): Promise<{ last: MessageId; markDelete?: MessageId }> {
  const requestId = connection.newRequestId();
  const reply = await connection.request(
    {
      type: CommandType.GET_LAST_MESSAGE_ID,
      get_last_message_id: { consumer_id: consumerId, request_id: requestId },
    },
    requestId,
  );
  const response = reply.get_last_message_id_response!;
  const markDelete =
    has(response, 'consumer_mark_delete_position') && response.consumer_mark_delete_position
      ? fromMessageIdData(response.consumer_mark_delete_position, partition)
      : undefined;
  return { last: fromMessageIdData(response.last_message_id, partition), markDelete };
}
