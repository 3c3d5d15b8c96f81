import { MessageId } from '../codec/message-id';
import { CommandType, TxnAction, decodeBaseCommand, encodeBaseCommand } from '../codec/protocol';
import { encodeSingle } from '../producer/entry-encoder';
import { parsePayload, decodeFrame } from '../codec/frame';
import { transactionalAckId, transactionalAckIds } from './txn-ack';
import {
  addPartitionCommand,
  addSubscriptionCommand,
  endTxnCommand,
  newTxnCommand,
  replyError,
  tcConnectCommand,
  txnBits,
} from './txn-wire';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const bytes = (command: Parameters<typeof encodeBaseCommand>[0]): Buffer =>
  Buffer.from(encodeBaseCommand(command));
const txn = { mostBits: 1n, leastBits: 5n };

describe('transaction wire commands (PulsarApi.proto field numbers)', () => {
  it('encodes TC_CLIENT_CONNECT_REQUEST as BaseCommand field 62 {request_id=1, tc_id=2}', () => {
    expect(bytes(tcConnectCommand(3, 0))).toEqual(hex('083e f203 04 0803 1000'));
  });

  it('encodes NEW_TXN as field 50 {request_id=1, txn_ttl_seconds=2 (sent as ms), tc_id=3}', () => {
    expect(bytes(newTxnCommand(7, 0, 60_000))).toEqual(hex('0832 9203 08 0807 10e0d403 1800'));
  });

  it('encodes ADD_PARTITION_TO_TXN as field 52 {request_id, txnid_least_bits=2, txnid_most_bits=3, partitions=4}', () => {
    expect(bytes(addPartitionCommand(2, txn, ['t']))).toEqual(hex('0834 a203 09 0802 1005 1801 2201 74'));
  });

  it('encodes ADD_SUBSCRIPTION_TO_TXN as field 54 with Subscription{topic=1, subscription=2} at 4', () => {
    expect(bytes(addSubscriptionCommand(2, txn, 't', 's'))).toEqual(
      hex('0836 b203 0e 0802 1005 1801 2206 0a0174 120173'),
    );
  });

  it('encodes END_TXN as field 56 {request_id, least, most, txn_action=4: COMMIT=0, ABORT=1}', () => {
    expect(bytes(endTxnCommand(9, txn, TxnAction.COMMIT))).toEqual(hex('0838 c203 08 0809 1005 1801 2000'));
    expect(bytes(endTxnCommand(9, txn, TxnAction.ABORT))).toEqual(hex('0838 c203 08 0809 1005 1801 2001'));
  });

  it('encodes a transactional ACK with txnid at 6/7 and request_id at 8; a batch message keeps its bit clear', () => {
    const id = transactionalAckId(new MessageId(10n, 2n, -1, 1, 3));
    const command = bytes({
      type: CommandType.ACK,
      ack: { consumer_id: 1, ack_type: 0, message_id: [id], request_id: 4, ...txnBits(txn) },
    });
    // MessageIdData {ledgerId=10, entryId=2, ack_set=[0b101], batch_size=3}
    expect(command).toEqual(hex('080a 5214 0801 1000 1a08 080a 1002 2805 3003 3005 3801 4004'));
  });

  it('acks a message outside a batch by its entry alone', () => {
    const id = transactionalAckId(new MessageId(10n, 2n));
    expect([Number(id.ledgerId), Number(id.entryId), id.ack_set, id.batch_size]).toEqual([
      10,
      2,
      undefined,
      undefined,
    ]);
  });

  it('names each entry once in a group ack, merging the messages of one batch into one ack_set', () => {
    const ids = transactionalAckIds([
      new MessageId(10n, 2n, -1, 0, 3),
      new MessageId(10n, 3n),
      new MessageId(10n, 2n, -1, 2, 3),
    ]);
    const command = bytes({
      type: CommandType.ACK,
      ack: { consumer_id: 1, ack_type: 0, message_id: ids, request_id: 4, ...txnBits(txn) },
    });
    // {10:2, ack_set=[0b010], batch_size=3}, then {10:3}
    expect(command).toEqual(
      hex('080a 521a 0801 1000 1a08 080a 1002 2802 3003 1a04 080a 1003 3005 3801 4004'),
    );
  });

  it('acks a whole entry when one id names it without a batch index', () => {
    const ids = transactionalAckIds([new MessageId(10n, 2n, -1, 1, 3), new MessageId(10n, 2n)]);
    expect(ids).toHaveLength(1);
    expect(ids[0].ack_set).toBeUndefined();
  });

  it('carries the txn id on SEND (4/5) and in MessageMetadata (22/23) of a transactional message', () => {
    const { frame } = encodeSingle(
      { producerId: 1, producerName: 'p', compression: 0 },
      {
        message: { data: Buffer.from('x') },
        sequenceId: 0,
        txn,
        resolve: () => undefined,
        reject: () => undefined,
      },
    );
    const { command, payloadSection } = decodeFrame(frame.subarray(4));
    expect(bytes(command).subarray(0, 14)).toEqual(hex('0806 320a 0801 1000 1801 2005 2801'));
    const { metadata } = parsePayload(payloadSection as Buffer);
    expect([Number(metadata.txnid_least_bits), Number(metadata.txnid_most_bits)]).toEqual([5, 1]);
  });

  it('reads a coordinator reply error by its protocol name, and no error when the field is absent', () => {
    const refused = decodeBaseCommand(
      bytes({
        type: CommandType.END_TXN_RESPONSE,
        end_txn_response: { request_id: 9, error: 21, message: 'no' },
      }),
    );
    expect(replyError(refused)).toEqual({ serverError: 'InvalidTxnStatus', message: 'no' });
    const ok = decodeBaseCommand(
      bytes({ type: CommandType.END_TXN_RESPONSE, end_txn_response: { request_id: 9 } }),
    );
    expect(replyError(ok)).toBeUndefined();
  });
});
