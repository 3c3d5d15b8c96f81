import type { INestApplication } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { PulsarAdminError } from '@gyre/pulsar-admin';
import { DataSource } from 'typeorm';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { admin, CLICK_SCHEMA, startApiWith, streamName } from './streams-helpers';

describe('/admin/streams on the real stack', () => {
  let app: INestApplication;
  let stream: string;
  let operator: TestKey;
  const http = () => clientAs(app, operator);
  const create = (overrides: Record<string, unknown> = {}) =>
    http()
      .post('/admin/streams')
      .send({ name: stream, ownerTeam: 'ranking', partitions: 3, schema: CLICK_SCHEMA, ...overrides });
  const auditOf = (name: string) =>
    app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .find({ where: { target: `stream/${name}` }, order: { id: 'ASC' } });

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => {
    stream = streamName();
  });
  afterEach(async () => {
    await http().delete(`/admin/streams/${stream}?confirm=${stream}`);
  });

  it("creates the partitioned topic, registers a JSON schema in Pulsar, records the stream and audits it with the caller's key id", async () => {
    const response = await create({ retention: { minutes: 60, sizeMb: 100 } }).expect(201);

    expect(response.body).toMatchObject({
      name: stream,
      topic: `persistent://gyre/streams/${stream}`,
      ownerTeam: 'ranking',
      partitions: 3,
      schemaVersion: 1,
      schema: CLICK_SCHEMA,
      retention: { minutes: 60, sizeMb: 100 },
    });
    const registered = await admin.getSchema(response.body.topic);
    expect(registered.type).toBe('JSON');
    expect(JSON.parse(registered.data)).toMatchObject({
      type: 'record',
      fields: [{ name: 'user' }, { name: 'amount' }],
    });
    expect((await http().get(`/admin/streams/${stream}`).expect(200)).body).toEqual(response.body);
    expect((await http().get('/admin/streams').expect(200)).body).toContainEqual(response.body);
    expect(await auditOf(stream)).toMatchObject([
      { actor: operator.id, action: 'stream.create', before: null },
    ]);
  });

  it('refuses a second stream with the same name with 409, and an invalid definition with 422 naming the fields', async () => {
    await create().expect(201);

    const duplicate = await create().expect(409);
    const invalid = await http()
      .post('/admin/streams')
      .send({ name: 'Bad Name', ownerTeam: 'ranking', partitions: 0, schema: CLICK_SCHEMA })
      .expect(422);
    const badSchema = await create({
      name: streamName(),
      schema: { type: 'object', properties: { a: { type: 'decimal' } } },
    }).expect(422);

    expect(JSON.parse(duplicate.text).type).toBe('https://gyre.dev/problems/stream-exists');
    expect(JSON.parse(invalid.text).errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '/name',
      '/partitions',
    ]);
    expect(JSON.parse(badSchema.text).type).toBe('https://gyre.dev/problems/invalid-schema');
  });

  it('adds a schema version for a backward-compatible change, in Postgres and in Pulsar', async () => {
    const created = await create().expect(201);
    const next = {
      ...CLICK_SCHEMA,
      properties: {
        ...CLICK_SCHEMA.properties,
        amount: { type: ['number', 'string'] },
        country: { type: 'string' },
      },
    };

    const response = await http().put(`/admin/streams/${stream}/schema`).send({ schema: next }).expect(200);

    expect(response.body).toMatchObject({ schemaVersion: 2, schema: next });
    expect((await admin.getSchema(created.body.topic)).properties['gyre.schema.version']).toBe('2');
    expect((await auditOf(stream)).map((entry) => entry.action)).toEqual([
      'stream.create',
      'stream.schema.update',
    ]);
  });

  it('refuses an incompatible schema change with 409 and the reasons, keeping the current version', async () => {
    await create().expect(201);
    const next = {
      ...CLICK_SCHEMA,
      required: ['user', 'amount', 'country'],
      properties: { user: { type: 'string' }, amount: { type: 'integer' }, country: { type: 'string' } },
    };

    const response = await http().put(`/admin/streams/${stream}/schema`).send({ schema: next }).expect(409);

    expect(JSON.parse(response.text)).toMatchObject({
      type: 'https://gyre.dev/problems/incompatible-schema',
      errors: [
        { pointer: '/schema', detail: 'property "country" is now required' },
        { pointer: '/schema/properties/amount', detail: 'type narrowed from number to integer' },
      ],
    });
    expect((await http().get(`/admin/streams/${stream}`)).body.schemaVersion).toBe(1);
  });

  it('lists schema versions newest first and checks a proposed schema without adding a version', async () => {
    await create().expect(201);
    const compatible = {
      ...CLICK_SCHEMA,
      properties: { ...CLICK_SCHEMA.properties, country: { type: 'string' } },
    };
    await http().put(`/admin/streams/${stream}/schema`).send({ schema: compatible }).expect(200);
    const narrowed = {
      ...compatible,
      properties: { ...compatible.properties, amount: { type: 'integer' } },
    };

    const refused = await http()
      .post(`/admin/streams/${stream}/schema/compatibility`)
      .send({ schema: narrowed })
      .expect(200);
    const same = await http()
      .post(`/admin/streams/${stream}/schema/compatibility`)
      .send({ schema: compatible })
      .expect(200);
    const invalid = await http()
      .post(`/admin/streams/${stream}/schema/compatibility`)
      .send({ schema: { type: 'array' } })
      .expect(422);
    const versions = await http().get(`/admin/streams/${stream}/schema/versions`).expect(200);

    expect(refused.body).toEqual({
      against: 2,
      compatible: false,
      unchanged: false,
      problems: [{ pointer: '/schema/properties/amount', detail: 'type narrowed from number to integer' }],
    });
    expect(same.body).toEqual({ against: 2, compatible: true, unchanged: true, problems: [] });
    expect(JSON.parse(invalid.text).type).toBe('https://gyre.dev/problems/invalid-schema');
    expect(
      versions.body.map((row: { version: number; createdBy: string }) => [row.version, row.createdBy]),
    ).toEqual([
      [2, operator.id],
      [1, operator.id],
    ]);
    expect(versions.body[0].schema).toEqual(compatible);
    await http().get(`/admin/streams/${stream}-absent/schema/versions`).expect(404);
  });

  it('deletes a stream only when the name is confirmed, with its topic, and audits it', async () => {
    const created = await create().expect(201);

    const unconfirmed = await http().delete(`/admin/streams/${stream}`).expect(400);
    await http().delete(`/admin/streams/${stream}?confirm=${stream}`).expect(204);

    expect(JSON.parse(unconfirmed.text).type).toBe('https://gyre.dev/problems/delete-not-confirmed');
    await http().get(`/admin/streams/${stream}`).expect(404);
    await expect(admin.getSchema(created.body.topic)).rejects.toBeInstanceOf(PulsarAdminError);
    expect((await auditOf(stream)).map((entry) => [entry.action, entry.actor])).toEqual([
      ['stream.create', operator.id],
      ['stream.delete', operator.id],
    ]);
  });

  it('documents the stream and ingestion endpoints, with their problem responses, in /docs-json', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;

    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/admin/streams',
        '/admin/streams/{stream}',
        '/admin/streams/{stream}/schema',
        '/admin/streams/{stream}/schema/versions',
        '/admin/streams/{stream}/schema/compatibility',
        '/v1/streams/{stream}/events',
      ]),
    );
    const ingest = document.paths['/v1/streams/{stream}/events'].post;
    expect(Object.keys(ingest.responses)).toEqual(
      expect.arrayContaining(['202', '400', '404', '409', '413', '415', '422', '503']),
    );
    expect(ingest.responses['422'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/ProblemDto',
    );
    expect(document.components.schemas).toHaveProperty('ProblemDto');
  });
});
