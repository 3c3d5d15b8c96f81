import type { INestApplication } from '@nestjs/common';
import { DeadLetterRedrive } from '@gyre/database';
import { Client } from '@gyre/pulsar';
import { redriveProducerName } from '@gyre/stream-operations';
import { DataSource } from 'typeorm';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { CLICK_SCHEMA, endpoints, readStream, startApiWith, streamName } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';
describe('/admin/streams/{stream}/subscriptions/{sub}/dead-letters on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let client: Client;
  let stream: string;
  let topic: string;
  let dlq: string;
  const http = () => clientAs(app, operator);
  const base = () => `/admin/streams/${stream}/subscriptions/scorer/dead-letters`;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
  });
  beforeEach(async () => {
    stream = streamName();
    topic = `persistent://gyre/streams/${stream}`;
    dlq = `${topic}-scorer-DLQ`;
    await http()
      .post('/admin/streams')
      .send({ name: stream, ownerTeam: 'ops', partitions: 2, schema: CLICK_SCHEMA })
      .expect(201);
    // Letters as a Gyre stage writes them: original key, properties and event time, plus the failure.
    const producer = await client.createProducer({ topic: dlq, batchingEnabled: false });
    for (let i = 0; i < 3; i++)
      await producer.send({
        data: Buffer.from(JSON.stringify({ user: `u${i}`, amount: i })),
        partitionKey: `u${i}`,
        eventTimestamp: 1_700_000_000_000 + i,
        properties: {
          source: 'web',
          REAL_TOPIC: `${topic}-partition-1`,
          ORIGIN_MESSAGE_ID: `9:${i}:1`,
          'gyre-failure-code': 'HANDLER_FAILED',
          'gyre-failure-reason': `bad amount ${i}`,
          'gyre-attempts': '3',
        },
      });
    await producer.close();
  });
  afterEach(async () => {
    await http().delete(`/admin/streams/${stream}?confirm=${stream}`);
  });

  it('reports the size and rate of the DLQ and browses letters with their failure reason', async () => {
    const summary = (await http().get(base()).expect(200)).body;
    expect(summary).toMatchObject({ topic: dlq, pending: { messages: 3 }, totalMessages: 3 });
    expect(summary.storageBytes).toBeGreaterThan(0);

    const letters = (await http().get(`${base()}/messages?count=2`).expect(200)).body;
    expect(letters).toHaveLength(2);
    expect(letters[0]).toMatchObject({
      key: 'u0',
      payload: { user: 'u0', amount: 0 },
      eventTime: new Date(1_700_000_000_000).toISOString(),
      failure: {
        reason: 'bad amount 0',
        code: 'HANDLER_FAILED',
        attempts: 3,
        realTopic: `${topic}-partition-1`,
        originMessageId: '9:0:1',
      },
    });
  });

  it('redrives a selected letter to the stream with its key, properties and event time, and acknowledges it', async () => {
    const letters = (await http().get(`${base()}/messages?count=3`).expect(200)).body;

    const result = await http()
      .post(`${base()}/redrive`)
      .send({ messageIds: [letters[1].messageId] })
      .expect(200);

    expect(result.body).toMatchObject({
      redriven: [{ deadLetterId: letters[1].position, resent: false }],
      remaining: 2,
    });
    const [event] = await readStream(topic);
    expect(event).toMatchObject({
      data: JSON.stringify({ user: 'u1', amount: 1 }),
      key: 'u1',
      properties: { source: 'web', 'gyre-redriven-from': letters[1].position },
    });
    expect(event.properties).not.toHaveProperty('gyre-failure-reason');
    expect((await http().get(base()).expect(200)).body.pending.messages).toBe(2);
  });

  it('never republishes a letter twice when a redrive that crashed after publishing is retried', async () => {
    const [letter] = (await http().get(`${base()}/messages?count=1`).expect(200)).body;
    // The crashed attempt: recorded as pending with sequence id 0, published, but never marked or acknowledged.
    await app.get(DataSource).getRepository(DeadLetterRedrive).insert({
      deadLetterTopic: dlq,
      deadLetterId: letter.position,
      stream,
      partition: 0,
      sequenceId: '0',
      state: 'pending',
      actor: operator.id,
    });
    const producer = await client.createProducer({
      topic: `${topic}-partition-0`,
      producerName: redriveProducerName(dlq),
      batchingEnabled: false,
    });
    await producer.send({
      data: Buffer.from('{"user":"u0","amount":0}'),
      sequenceId: 0,
      properties: { 'gyre-redriven-from': letter.position },
    });
    await producer.close();

    const result = await http().post(`${base()}/redrive`).send({}).expect(200);

    expect(result.body.redriven).toHaveLength(3);
    expect(result.body.redriven[0]).toMatchObject({
      deadLetterId: letter.position,
      resent: true,
      messageId: null,
    });
    const events = await readStream(topic);
    expect(events.filter((e) => e.properties['gyre-redriven-from'] === letter.position)).toHaveLength(1);
    expect(events).toHaveLength(3);
    expect((await http().get(base()).expect(200)).body.pending.messages).toBe(0);
  });

  it('purges pending letters only when confirmed with the DLQ name', async () => {
    expect((await http().post(`${base()}/purge`).expect(400)).body.type).toBe(
      `${PROBLEMS}operation-not-confirmed`,
    );
    expect((await http().get(base()).expect(200)).body.pending.messages).toBe(3);

    const purged = await http().post(`${base()}/purge?confirm=${stream}-scorer-DLQ`).expect(200);

    expect(purged.body.pending.messages).toBe(0);
  });

  it('refuses bad message ids and answers a subscription without DLQ with 404', async () => {
    expect(
      (
        await http()
          .post(`${base()}/redrive`)
          .send({ messageIds: ['x:y'] })
          .expect(400)
      ).body.type,
    ).toBe(`${PROBLEMS}invalid-message-id`);
    expect(
      (await http().get(`/admin/streams/${stream}/subscriptions/nobody/dead-letters`).expect(404)).body.type,
    ).toBe(`${PROBLEMS}dead-letter-topic-not-found`);
  });
});
