import type { INestApplication } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import { Client } from '@gyre/pulsar';
import { waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { consumerOf, publishClicks } from './consumption-helpers';
import { CLICK_SCHEMA, endpoints, startApiWith, streamName } from './streams-helpers';

/** Connections the broker holds open now, from its own gauge (pulsar_active_connections). */
async function brokerConnections(): Promise<number> {
  const text = await (await fetch(`${endpoints.pulsarAdminUrl}/metrics/`)).text();
  return [...text.matchAll(/^pulsar_active_connections\{[^}]*\} (\S+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

describe('the API process and the broker', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    await clientAs(app, operator).delete(`/admin/streams/${stream}?confirm=${stream}`);
    await app?.close();
  });

  it('holds one Pulsar connection for ingestion, HTTP consumption and a dead-letter redrive: one client per process', async () => {
    const before = await brokerConnections();
    stream = streamName();
    const topic = `persistent://gyre/streams/${stream}`;
    await clientAs(app, operator)
      .post('/admin/streams')
      .send({ name: stream, ownerTeam: 'ops', partitions: 2, schema: CLICK_SCHEMA })
      .expect(201);
    // A letter for the redrive, written by a client of the test that is closed before counting.
    const seeding = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
    const producer = await seeding.createProducer({ topic: `${topic}-scorer-DLQ`, batchingEnabled: false });
    await producer.send({
      data: Buffer.from(JSON.stringify({ user: 'u1', amount: 1 })),
      properties: { REAL_TOPIC: `${topic}-partition-0`, ORIGIN_MESSAGE_ID: '9:1:0' },
    });
    await seeding.close();

    await publishClicks(app, operator, stream, 3);
    const readers = consumerOf(app, operator, stream, 'readers');
    await waitFor(async () => (await readers.pull()).length > 0, { description: 'a pulled event' });
    await clientAs(app, operator)
      .post(`/admin/streams/${stream}/subscriptions/scorer/dead-letters/redrive`)
      .send({})
      .expect(200);

    await waitFor(async () => (await brokerConnections()) === before + 1, {
      description: 'the broker to hold exactly one more connection than before the API used Pulsar',
    });
    const scrape = await app.get(MetricsRegistry).scrape();
    expect(scrape).toContain('gyre_pulsar_client_events_total{event="connectionOpened"} 1\n');
  });
});
