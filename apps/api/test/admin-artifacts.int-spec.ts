import type { INestApplication } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { S3Storage } from '@gyre/storage';
import { uniqueName } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { startApiWith } from './streams-helpers';

const PROBLEM = /^application\/problem\+json/;

describe('GET /admin/artifacts on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let consumer: TestKey;
  let buckets: GyreConfig['s3']['buckets'];

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    consumer = await issueKey(app, 'consumer');
    buckets = app.get(GyreConfig).s3.buckets;
    await app.get(S3Storage).ensureBucket(buckets.models);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('streams a model artifact as an attachment named after its key', async () => {
    const key = `${uniqueName('it-artifact')}/v0001/model.json`;
    const artifact = JSON.stringify({ weights: [0.5, -1.25], bias: 0.1 });
    await app.get(S3Storage).putObject(buckets.models, key, artifact, { contentType: 'application/json' });

    const response = await clientAs(app, operator)
      .get(`/admin/artifacts?uri=${encodeURIComponent(`s3://${buckets.models}/${key}`)}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);

    expect((response.body as Buffer).toString('utf8')).toBe(artifact);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="model.json"');
  });

  it('refuses another bucket (422), a missing object (404), no uri (400) and a consumer key (403)', async () => {
    const http = clientAs(app, operator);
    const tiered = await http.get(`/admin/artifacts?uri=s3://${buckets.tiered}/ledger-1`).expect(422);
    const missing = await http
      .get(`/admin/artifacts?uri=s3://${buckets.models}/${uniqueName('it-absent')}/model.json`)
      .expect(404);
    const bare = await http.get('/admin/artifacts').expect(400);
    const refused = await clientAs(app, consumer)
      .get(`/admin/artifacts?uri=s3://${buckets.models}/any.json`)
      .expect(403);

    expect(tiered.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(tiered.text).type).toBe('https://gyre.dev/problems/not-an-artifact');
    expect(JSON.parse(missing.text).type).toBe('https://gyre.dev/problems/storage-object-not-found');
    expect(JSON.parse(bare.text).type).toBe('https://gyre.dev/problems/invalid-request');
    expect(JSON.parse(refused.text).type).toBe('https://gyre.dev/problems/role-forbidden');
  });
});
