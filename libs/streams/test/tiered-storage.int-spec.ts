import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Client, MessageId } from '@gyre/pulsar';
import { PulsarAdmin, parseTopic } from '@gyre/pulsar-admin';
import { StreamNamespace } from '@gyre/streams';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { testEndpoints, uniqueName, waitFor } from '../../../tools/testing';

interface PublishedEvent {
  payload: string;
  key: string;
  properties: Record<string, string>;
}

interface ReadEvent {
  payload: Buffer;
  key?: string;
  properties: Record<string, string>;
}

const endpoints = testEndpoints();
const admin = new PulsarAdmin({ adminUrl: endpoints.pulsarAdminUrl });
const s3 = new S3Client({
  endpoint: endpoints.s3Endpoint,
  region: endpoints.s3Region,
  forcePathStyle: true,
  credentials: { accessKeyId: endpoints.s3AccessKeyId, secretAccessKey: endpoints.s3SecretAccessKey },
});

/**
 * Publishes through Pulsar's WebSocket producer API without batching: one entry per event, each in the
 * ledger open at the time. (The REST produce API fails on namespaces with deduplication enabled.)
 */
function publish(topic: string, events: PublishedEvent[]): Promise<void> {
  const socket = new WebSocket(`${wsBase(topic, 'producer')}?batchingEnabled=false`);
  return new Promise((resolve, reject) => {
    let acknowledged = 0;
    socket.on('open', () => {
      events.forEach((event, index) =>
        socket.send(
          JSON.stringify({
            payload: Buffer.from(event.payload, 'utf8').toString('base64'),
            key: event.key,
            properties: event.properties,
            context: String(index),
          }),
        ),
      );
    });
    socket.on('message', (data) => {
      const ack = JSON.parse(data.toString()) as { result: string; errorMsg?: string };
      if (ack.result !== 'ok') {
        socket.close();
        reject(new Error(`publish failed: ${ack.errorMsg ?? ack.result}`));
        return;
      }
      if (++acknowledged === events.length) {
        socket.close();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

function wsBase(topic: string, role: 'producer' | 'reader'): string {
  const { tenant, namespace, local } = parseTopic(topic);
  return `${endpoints.pulsarAdminUrl.replace(/^http/, 'ws')}/ws/v2/${role}/persistent/${tenant}/${namespace}/${local}`;
}

/** Reads the whole topic from the earliest position through Pulsar's WebSocket reader API. */
function readThroughWebSocket(topic: string, expected: number): Promise<ReadEvent[]> {
  const url = `${wsBase(topic, 'reader')}?messageId=earliest`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const events: ReadEvent[] = [];
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`read ${events.length} of ${expected} events before the timeout`));
    }, 60_000);
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        messageId: string;
        payload: string;
        key?: string;
        properties?: Record<string, string>;
      };
      events.push({
        payload: Buffer.from(message.payload, 'base64'),
        key: message.key,
        properties: message.properties ?? {},
      });
      socket.send(JSON.stringify({ messageId: message.messageId }));
      if (events.length === expected) {
        clearTimeout(timer);
        socket.close();
        resolve(events);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function makeEvents(round: number, count: number): PublishedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    // Mixed scripts and JSON-special characters: the bytes must come back exactly.
    payload: JSON.stringify({ round, i, note: `ünïcødé ✓ "quoted" ${randomBytes(24).toString('base64')}` }),
    key: `card-${i % 4}`,
    properties: { round: String(round), index: String(i) },
  }));
}

describe('Tiered storage on the real broker', () => {
  const stream = new StreamNamespace(admin, {
    tenant: 'gyre-it',
    namespace: uniqueName('tiered'),
    cluster: 'standalone',
    offloadThresholdBytes: -1, // offload only when the test triggers it
    offloadDeletionLagMs: 0, // and remove offloaded ledgers from BookKeeper at once
  });
  const topic = stream.topic('transactions');

  beforeAll(async () => {
    await stream.provision();
    await admin.createTopic(topic);
  });

  afterAll(async () => {
    await admin.deleteTopic(topic).catch(() => undefined);
    s3.destroy();
  });

  it('offloads closed ledgers to S3, drops them from BookKeeper, and replays every event in order, byte for byte', async () => {
    const published: PublishedEvent[] = [];
    for (const round of [1, 2, 3]) {
      const events = makeEvents(round, 20);
      await publish(topic, events);
      published.push(...events);
      await admin.unloadTopic(topic); // closes the ledger: the next round opens a new one
    }
    const tail = makeEvents(4, 1);
    await publish(topic, tail); // lands in the open ledger, which is never offloaded
    published.push(...tail);

    await admin.triggerOffload(topic, await admin.lastMessageId(topic));
    const status = await waitFor(
      async () => {
        const current = await admin.offloadStatus(topic);
        if (current.status === 'ERROR') throw new Error(`offload failed: ${current.lastError}`);
        return current.status === 'SUCCESS' ? current : undefined;
      },
      { timeoutMs: 60_000, description: 'the offload to finish' },
    );
    expect(status.status).toBe('SUCCESS');

    const stats = await admin.internalStats(topic);
    const offloaded = stats.ledgers.filter((ledger) => ledger.offloaded);
    expect(offloaded.map((ledger) => ledger.entries)).toEqual([20, 20, 20]);

    const listing = await s3.send(new ListObjectsV2Command({ Bucket: endpoints.s3BucketTiered }));
    const keys = (listing.Contents ?? []).map((object) => object.Key ?? '');
    for (const ledger of offloaded) {
      expect(keys.some((key) => key.endsWith(`-ledger-${ledger.ledgerId}`))).toBe(true);
      expect(keys.some((key) => key.endsWith(`-ledger-${ledger.ledgerId}-index`))).toBe(true);
    }

    // BookKeeper no longer knows an offloaded ledger once the deletion lag has passed; the open one it still does.
    await waitFor(
      async () => {
        const withMetadata = await admin.internalStats(topic, { ledgerMetadata: true });
        const inBookKeeper = withMetadata.ledgers.filter((ledger) => ledger.metadata);
        return inBookKeeper.every((ledger) => !ledger.offloaded) && inBookKeeper.length >= 1;
      },
      { timeoutMs: 60_000, description: 'offloaded ledgers to be deleted from BookKeeper' },
    );

    const read = await readThroughWebSocket(topic, published.length);
    expect(read.map((event) => event.payload)).toEqual(
      published.map((event) => Buffer.from(event.payload, 'utf8')),
    );
    expect(read.map((event) => event.key)).toEqual(published.map((event) => event.key));
    expect(read.map((event) => event.properties)).toEqual(published.map((event) => event.properties));

    // Gyre's own client reads the same history, now served from S3, exactly as it reads hot data.
    const clientRead = await readWithGyreClient(topic, published.length);
    expect(clientRead).toEqual(read);
  });
});

async function readWithGyreClient(topic: string, expected: number): Promise<ReadEvent[]> {
  const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
  try {
    const reader = await client.createReader({ topic, startMessageId: MessageId.earliest() });
    const events: ReadEvent[] = [];
    while (events.length < expected) {
      const message = await reader.readNext(30_000);
      events.push({
        payload: message.getData(),
        key: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
        properties: message.getProperties(),
      });
    }
    expect(await reader.hasMessageAvailable()).toBe(false);
    await reader.close();
    return events;
  } finally {
    await client.close();
  }
}
