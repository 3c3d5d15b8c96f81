import type { INestApplication } from '@nestjs/common';
import { Client, PROPERTY_ORIGIN_MESSAGE_ID, PROPERTY_REAL_TOPIC } from '@gyre/pulsar';
import { freePort, uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { backlogOf, consumerOf, publishClicks } from './consumption-helpers';
import {
  CLICK_SCHEMA,
  createTestStream,
  endpoints,
  readStream,
  startApiWith,
  streamName,
} from './streams-helpers';

describe('HTTP consumption (messages:pull, :ack, :nack) on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let worker: TestKey;
  let stream: string;
  let topic: string;
  let subscription: string;
  let consumer: ReturnType<typeof consumerOf>;

  beforeAll(async () => {
    app = await startApiWith({ CONSUME_MAX_WAIT_MS: '10000' });
    operator = await issueKey(app, 'admin');
    worker = await issueKey(app, 'consumer', { kind: 'prefix', prefix: 'it-stream-' });
  });
  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    ({ name: stream, topic } = await createTestStream(app, operator, { partitions: 2 }));
    subscription = uniqueName('http');
    consumer = consumerOf(app, worker, stream, subscription);
  });

  it('leases published events with their payload, key, times, properties and a lease expiry', async () => {
    await clientAs(app, operator)
      .post(`/v1/streams/${stream}/events`)
      .send({
        payload: { user: 'u1', amount: 3 },
        key: 'u1',
        eventTime: 1_767_225_600_000,
        properties: { source: 'web' },
      })
      .expect(202);

    const response = await consumer
      .post('pull', { max: 10, waitMs: 5000, leaseMs: 20_000, initialPosition: 'Earliest' })
      .expect(200);

    expect(response.body).toEqual({
      messages: [
        {
          leaseToken: expect.any(String),
          messageId: expect.any(String),
          key: 'u1',
          eventTime: '2026-01-01T00:00:00.000Z',
          publishTime: expect.any(String),
          properties: { source: 'web' },
          redeliveryCount: 0,
          payload: { user: 'u1', amount: 3 },
        },
      ],
      leaseExpiresAt: expect.any(String),
    });
    const leaseMs = Date.parse(response.body.leaseExpiresAt) - Date.now();
    expect(leaseMs).toBeGreaterThan(15_000);
    expect(leaseMs).toBeLessThanOrEqual(20_000);
  });

  it('serves payloads of another producer unaltered: UTF-8 JSON as its text, other bytes as payloadBase64', async () => {
    const sent = new Map([
      ['json', Buffer.from('{"id":9007199254740993,"f":1.0, "neg0":-0}')],
      ['lenient-json', Buffer.from([0x22, 0xff, 0x22])],
      ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
      ['bom', Buffer.from('\ufeff{"a":1}')],
    ]);
    await consumer.pull({ waitMs: 0 });
    const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
    try {
      const producer = await client.createProducer({ topic });
      for (const [key, data] of sent) await producer.send({ data, partitionKey: key });
      await producer.close();
    } finally {
      await client.close();
    }

    const texts: string[] = [];
    const served = new Map<string, { payload: unknown; payloadBase64?: string }>();
    await waitFor(async () => {
      const response = await consumer.post('pull', { max: 10, waitMs: 500 }).expect(200);
      texts.push(response.text);
      for (const message of response.body.messages) served.set(message.key, message);
      return served.size >= sent.size;
    });

    expect(texts.join('')).toContain('"payload":{"id":9007199254740993,"f":1.0, "neg0":-0}');
    expect(served.get('json')?.payloadBase64).toBeUndefined();
    for (const key of ['lenient-json', 'binary', 'bom']) {
      expect(served.get(key)?.payload).toBeNull();
      expect(Buffer.from(served.get(key)?.payloadBase64 ?? '', 'base64').equals(sent.get(key)!)).toBe(true);
    }
  });

  it('long-polls: answers as soon as an event arrives, and an empty list after waitMs otherwise', async () => {
    await consumer.pull({ waitMs: 0, initialPosition: 'Latest' }); // creates the subscription
    const started = Date.now();
    const empty = await consumer.pull({ waitMs: 500 });
    expect(empty).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);

    const polling = consumer.pull({ waitMs: 10_000 });
    await publishClicks(app, operator, stream, 1);
    expect((await polling).map((message) => message.payload.amount)).toEqual([0]);
  });

  it('acks leased messages: they leave the backlog and are never delivered again', async () => {
    await publishClicks(app, operator, stream, 5);
    const leased = await waitFor(async () => {
      const batch = await consumer.pull({ waitMs: 2000, max: 5 });
      return batch.length === 5 && batch;
    });

    expect(await consumer.ack(leased.map((message) => message.leaseToken))).toEqual(Array(5).fill('acked'));
    expect(await consumer.ack([leased[0].leaseToken])).toEqual(['acked']);
    await waitFor(async () => (await backlogOf(topic, subscription)) === 0, {
      description: 'an empty backlog',
    });
    expect(await consumer.pull({ waitMs: 500 })).toEqual([]);
  });

  it('redelivers a nacked message with its redelivery count incremented', async () => {
    await publishClicks(app, operator, stream, 1);
    const [first] = await consumer.pull({ waitMs: 5000 });

    expect(await consumer.nack([first.leaseToken])).toEqual(['nacked']);
    const [again] = await consumer.pull({ waitMs: 5000 });

    expect(again).toMatchObject({ messageId: first.messageId, redeliveryCount: 1, payload: first.payload });
    expect(again.leaseToken).not.toBe(first.leaseToken);
    expect(await consumer.ack([first.leaseToken])).toEqual(['nacked']);
  });

  it('redelivers a message whose lease expired, and does not ack it with the old token', async () => {
    await publishClicks(app, operator, stream, 1);
    const [first] = await consumer.pull({ waitMs: 5000, leaseMs: 1000 });

    const [again] = await consumer.pull({ waitMs: 5000 });

    expect(again).toMatchObject({ messageId: first.messageId, redeliveryCount: 1 });
    expect(await consumer.ack([first.leaseToken])).toEqual(['expired']);
    expect(await consumer.ack([again.leaseToken])).toEqual(['acked']);
  });

  it('moves a message to <topic>-<subscription>-DLQ with REAL_TOPIC and ORIGIN_MESSAGE_ID after maxRedeliveries', async () => {
    await publishClicks(app, operator, stream, 1);
    for (let delivery = 0; delivery <= 2; delivery += 1) {
      const [message] = await consumer.pull({ waitMs: 5000, maxRedeliveries: 2 });
      expect(message.redeliveryCount).toBe(delivery);
      await consumer.nack([message.leaseToken]);
    }

    const [dead] = await waitFor(async () => {
      const read = await readStream(`${topic}-${subscription}-DLQ`).catch(() => []);
      return read.length > 0 && read;
    });
    expect(JSON.parse(dead.data)).toEqual({ user: 'u0', amount: 0 });
    // As the Java client does, a consumer of a partitioned topic records the topic, not the partition.
    expect(dead.properties[PROPERTY_REAL_TOPIC]).toBe(topic);
    expect(dead.properties[PROPERTY_ORIGIN_MESSAGE_ID]).toMatch(/^\d+:\d+:\d+/);
    expect(await consumer.pull({ waitMs: 500, maxRedeliveries: 2 })).toEqual([]);
  });

  it('splits one subscription between an HTTP worker and a native consumer, no message delivered to both', async () => {
    const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
    const native = await client.subscribe({
      topic,
      subscription,
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      receiverQueueSize: 10,
    });
    await consumer.pull({ waitMs: 0 });
    const byNative: number[] = [];
    const byHttp: number[] = [];
    let running = true;
    const nativeLoop = (async () => {
      while (running) {
        const message = await native.receive(200).catch(() => undefined);
        if (!message) continue;
        byNative.push(JSON.parse(message.getData().toString()).amount);
        await native.acknowledge(message);
      }
    })();
    try {
      // Thirty requests, so thirty-odd batch entries for the broker to dispatch between the two.
      for (let request = 0; request < 30; request += 1)
        await clientAs(app, operator)
          .post(`/v1/streams/${stream}/events`)
          .send(Array.from({ length: 10 }, (_, i) => ({ payload: { user: 'u', amount: request * 10 + i } })))
          .expect(202);
      await waitFor(async () => {
        const batch = await consumer.pull({ waitMs: 200, max: 20 });
        byHttp.push(...batch.map((message) => message.payload.amount));
        if (batch.length > 0) await consumer.ack(batch.map((message) => message.leaseToken));
        return byHttp.length + byNative.length >= 300;
      });
    } finally {
      running = false;
      await nativeLoop;
      await client.close();
    }

    expect(byHttp.length).toBeGreaterThan(0);
    expect(byNative.length).toBeGreaterThan(0);
    expect(byHttp.filter((amount) => byNative.includes(amount))).toEqual([]);
    expect([...byHttp, ...byNative].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('refuses forged tokens and tokens of another subscription, settling nothing', async () => {
    await publishClicks(app, operator, stream, 1);
    const [message] = await consumer.pull({ waitMs: 5000 });
    const [instance, leaseId, expiry, messageId, mac] = message.leaseToken.split('.');
    const extended = [instance, leaseId, (parseInt(expiry, 36) + 600_000).toString(36), messageId, mac].join(
      '.',
    );

    const forged = await consumer.post('ack', { leaseTokens: [message.leaseToken, extended] }).expect(400);
    const elsewhere = await consumerOf(app, worker, stream, 'other')
      .post('ack', { leaseTokens: [message.leaseToken] })
      .expect(400);

    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(forged.body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-lease-token',
      errors: [{ pointer: '/leaseTokens/1' }],
    });
    expect(elsewhere.body.type).toBe('https://gyre.dev/problems/invalid-lease-token');
    expect(await consumer.ack([message.leaseToken])).toEqual(['acked']);
  });

  it("answers misdirected for another instance's token and refuses one whose lease id was changed", async () => {
    await publishClicks(app, operator, stream, 1);
    const [message] = await consumer.pull({ waitMs: 5000 });
    const [, ...rest] = message.leaseToken.split('.');
    const [instance, , expiry, messageId, mac] = message.leaseToken.split('.');

    expect(await consumer.ack([['AAAAAAAAAAAA', ...rest].join('.')])).toEqual(['misdirected']);
    expect(
      await consumer.ack([[instance, 'zzzz', expiry, messageId, mac].join('.')]).catch(() => 'invalid'),
    ).toBe('invalid');
    expect(await consumer.ack([message.leaseToken])).toEqual(['acked']);
  });

  it('answers bad bodies, unknown streams and bad subscription names with their problems', async () => {
    const bad = await consumer.post('pull', { max: 0, waitMs: 999_999, extra: 1 }).expect(400);
    expect(bad.body.type).toBe('https://gyre.dev/problems/invalid-request');
    expect(bad.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
      '/extra',
      '/max',
      '/waitMs',
    ]);

    const missing = await consumerOf(app, worker, 'it-stream-missing', subscription)
      .post('pull', { max: 1 })
      .expect(404);
    expect(missing.body.type).toBe('https://gyre.dev/problems/stream-not-found');

    const badName = await consumerOf(app, worker, stream, '-bad').post('pull', { max: 1 }).expect(400);
    expect(badName.body.type).toBe('https://gyre.dev/problems/invalid-subscription');

    await consumer.post('nack', { leaseTokens: [] }).expect(400);
  });

  it('refuses a producer key (403) and a consumer key outside its scope', async () => {
    const producer = await issueKey(app, 'producer');
    const outside = await issueKey(app, 'consumer', { kind: 'streams', streams: ['elsewhere'] });

    const asProducer = await consumerOf(app, producer, stream, subscription)
      .post('pull', { max: 1 })
      .expect(403);
    const asOutsider = await consumerOf(app, outside, stream, subscription)
      .post('ack', { leaseTokens: ['x'] })
      .expect(403);

    expect(asProducer.body.type).toBe('https://gyre.dev/problems/role-forbidden');
    expect(asOutsider.body.type).toBe('https://gyre.dev/problems/stream-out-of-scope');
  });
});

describe('HTTP consumption while Pulsar is unreachable', () => {
  it('answers a pull with 503 consume-unavailable and Retry-After', async () => {
    const port = await freePort(); // nobody listens there: the broker is "down"
    const app = await startApiWith({
      PULSAR_SERVICE_URL: `pulsar://127.0.0.1:${port}`,
      INGEST_SEND_TIMEOUT_MS: '1000',
      INGEST_RETRY_AFTER_SECONDS: '7',
    });
    try {
      const operator = await issueKey(app, 'admin');
      const stream = streamName();
      await clientAs(app, operator)
        .post('/admin/streams')
        .send({ name: stream, ownerTeam: 'ranking', partitions: 1, schema: CLICK_SCHEMA })
        .expect(201);

      const response = await consumerOf(app, operator, stream, 'down').post('pull', { max: 1 }).expect(503);

      expect(response.headers['retry-after']).toBe('7');
      expect(response.body).toMatchObject({
        type: 'https://gyre.dev/problems/consume-unavailable',
        retryAfterSeconds: 7,
      });
      await clientAs(app, operator).delete(`/admin/streams/${stream}?confirm=${stream}`).expect(204);
    } finally {
      await app.close();
    }
  });
});
