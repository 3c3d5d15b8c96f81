/**
 * Where a committed ack's time goes, and what opening the next transaction ahead saves: one Shared consumer
 * on a partitioned topic acks groups of --group messages in Pulsar transactions, two ways in one run on the
 * same backlog, alternating every ten groups so both see the same broker and machine:
 *
 * - in turn (the reference): open the transaction, register the subscription, ack the group, commit; each
 *   round trip timed on its own;
 * - prepared (what CommittedAcks does): the transaction was opened and registered on every partition while
 *   the previous group acked and committed (the first of each block of ten opens its own), so a group waits for
 *   the ack and the commit only.
 *
 * Prints the mean and p99 of each step and of a whole group both ways, and the ratio prepared / in turn.
 *
 *   npx ts-node bench/committed-acks.ts [--groups 200] [--group 100] [--partitions 4]
 *
 * Targets 127.0.0.1 only (PULSAR_SERVICE_URL, else this checkout's stack); bounded by --groups and a cap of
 * 5 minutes; its topic is left to the stack's retention like the other benches' topics.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client, Consumer, Message, Transaction } from '../libs/pulsar/src';
import { LocalStack } from '../tools/stack/stack';
import { createPartitionedTopic, uniqueName } from '../tools/testing';
import { printTable } from './print-table';

const TIME_CAP_MS = 5 * 60_000;
/** Groups run one way before switching to the other: both ways see the same broker and machine. */
const BLOCK = 10;

async function receiveGroup(consumer: Consumer, size: number): Promise<Message[]> {
  const group: Message[] = [];
  while (group.length < size) group.push(await consumer.receive(30_000));
  return group;
}

function summary(values: number[]): { mean: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, p99: sorted[Math.floor(0.99 * (sorted.length - 1))] };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      groups: { type: 'string', default: '200' },
      group: { type: 'string', default: '100' },
      partitions: { type: 'string', default: '4' },
    },
  });
  const groups = Number(values.groups);
  const size = Number(values.group);
  const partitions = Number(values.partitions);
  const serviceUrl = process.env.PULSAR_SERVICE_URL || new LocalStack().endpoints().PULSAR_SERVICE_URL;
  if (!/^pulsar:\/\/(127\.0\.0\.1|localhost):\d+$/.test(serviceUrl))
    throw new Error(`the benchmark runs against a local broker only, not ${serviceUrl}`);
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${TIME_CAP_MS / 1000} s; aborting\n`);
    process.exit(1);
  }, TIME_CAP_MS);
  cap.unref();

  const client = new Client({ serviceUrl });
  try {
    const topic = `persistent://public/default/${uniqueName('bench-committed-acks')}`;
    await createPartitionedTopic(topic, partitions);
    const consumer = await client.subscribe({
      topic,
      subscription: 'drain',
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      batchIndexAckEnabled: true,
    });
    const producer = await client.createProducer({ topic, batchingEnabled: true });
    const payload = Buffer.alloc(1024);
    for (let sent = 0; sent < groups * size; sent += 500)
      await Promise.all(
        Array.from({ length: Math.min(500, groups * size - sent) }, (_, i) =>
          producer.send({ data: payload, partitionKey: String(sent + i) }),
        ),
      );

    const steps = {
      open: [] as number[],
      register: [] as number[],
      ack: [] as number[],
      commit: [] as number[],
    };
    const inTurn: number[] = [];
    const prepared: number[] = [];
    const open = async (): Promise<Transaction> => {
      const txn = await client.newTransaction({ timeoutMs: 60_000 });
      await consumer.registerTransaction(txn);
      return txn;
    };
    let next: Promise<Transaction> | undefined;
    for (let g = 0; g < groups; g++) {
      const messages = await receiveGroup(consumer, size);
      const start = performance.now();
      if (Math.floor(g / BLOCK) % 2 === 0) {
        let at = start;
        const lap = (into: number[]) => {
          const now = performance.now();
          into.push(now - at);
          at = now;
        };
        const txn = await client.newTransaction({ timeoutMs: 60_000 });
        lap(steps.open);
        await consumer.registerTransaction(txn, [...new Set(messages.map((m) => m.getTopicName()))]);
        lap(steps.register);
        await consumer.acknowledgeAll(messages, txn);
        lap(steps.ack);
        await txn.commit();
        lap(steps.commit);
        inTurn.push(performance.now() - start);
      } else {
        // As CommittedAcks: take the transaction prepared during the group before (the block's first opens
        // its own), and prepare the next one at once, while this group acks and commits.
        const txn = await (next ?? open());
        const last = g % BLOCK === BLOCK - 1;
        next = last ? undefined : open();
        await consumer.acknowledgeAll(messages, txn);
        await txn.commit();
        prepared.push(performance.now() - start);
      }
    }
    await Promise.all([producer.close(), consumer.close()]);

    const row = (name: string, values: number[]) => {
      const { mean, p99 } = summary(values);
      return [name, mean.toFixed(2), p99.toFixed(2), ''];
    };
    const turn = summary(inTurn).mean;
    const ahead = summary(prepared).mean;
    printTable([
      ['ms per group of ' + size, 'mean', 'p99', 'prepared / in turn'],
      row('in turn: open (NEW_TXN)', steps.open),
      row('in turn: register (ADD_SUBSCRIPTION)', steps.register),
      row('in turn: ack (ACK with txn)', steps.ack),
      row('in turn: commit (END_TXN)', steps.commit),
      row('in turn: whole group', inTurn),
      [...row('prepared: whole group', prepared).slice(0, 3), (ahead / turn).toFixed(2)],
    ]);
    process.stdout.write(
      `${groups} groups of ${size} 1-KiB messages on ${partitions} partitions, alternating in turn / prepared every ${BLOCK} groups\n`,
    );
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
