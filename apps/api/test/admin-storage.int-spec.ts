import type { INestApplication } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { DataSource } from 'typeorm';
import { waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { admin, createTestStream, deleteTestStream, startApiWith } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';

describe('/admin/streams/{stream}/storage on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    stream = (await createTestStream(app, operator, { ownerTeam: 'ops' })).name;
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('sets, reads and resets the stream-level retention, offload threshold and deletion lag, audited', async () => {
    const set = await http()
      .put(`/admin/streams/${stream}/storage/policies`)
      .send({ retention: { minutes: -1, sizeMb: -1 }, offloadThresholdBytes: -1, offloadDeletionLagMs: 0 })
      .expect(200);
    expect(set.body).toEqual({
      retention: { minutes: -1, sizeMb: -1 },
      offloadThresholdBytes: -1,
      offloadDeletionLagMs: 0,
    });
    await waitFor(
      async () => {
        const read = (await http().get(`/admin/streams/${stream}/storage/policies`).expect(200)).body;
        return read.offloadDeletionLagMs === 0 && read.retention !== null;
      },
      { description: 'topic policies to apply' },
    );
    const [entry] = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .findBy({ action: 'stream.storage-policies.update', target: `stream/${stream}` });
    expect(entry).toMatchObject({ actor: operator.id, after: set.body });

    const bad = await http()
      .put(`/admin/streams/${stream}/storage/policies`)
      .send({ offloadDeletionLagMs: -5 })
      .expect(400);
    expect(bad.body.type).toBe(`${PROBLEMS}invalid-request`);
  });

  it('offloads closed ledgers on demand and reports BookKeeper vs S3, matched with the objects in the bucket', async () => {
    const partition = `persistent://gyre/streams/${stream}-partition-0`;
    for (let round = 0; round < 2; round++) {
      const events = Array.from({ length: 5 }, (_, i) => ({
        payload: { user: `u${round}-${i}`, amount: i },
      }));
      await http().post(`/v1/streams/${stream}/events`).send(events).expect(202);
      // Unloading closes the ledger: the next write opens a new one.
      await admin.unloadTopic(partition);
    }
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send({ payload: { user: 'last', amount: 1 } })
      .expect(202);

    const started = await http().post(`/admin/streams/${stream}/storage/offload`).expect(202);
    expect(started.body).toEqual([expect.objectContaining({ partition: 0 })]);
    await waitFor(
      async () => {
        const [status] = (await http().get(`/admin/streams/${stream}/storage/offload`).expect(200)).body;
        if (status.status === 'ERROR') throw new Error(status.lastError);
        return status.status === 'SUCCESS';
      },
      { timeoutMs: 60_000, description: 'the offload to succeed' },
    );

    const report = (await http().get(`/admin/streams/${stream}/storage`).expect(200)).body;
    const offloaded = report.ledgers.filter((ledger: { offloaded: boolean }) => ledger.offloaded);
    expect(offloaded.length).toBeGreaterThanOrEqual(2);
    for (const ledger of offloaded)
      expect(ledger.s3).toEqual({ dataBytes: expect.any(Number), indexBytes: expect.any(Number) });
    expect(report.s3.missingLedgers).toEqual([]);
    expect(report.offloaded.ledgers).toBe(offloaded.length);
    expect(report.bookKeeper.ledgers).toBeGreaterThanOrEqual(1);
    expect(report.ledgers.at(-1)).toMatchObject({ offloaded: false, inBookKeeper: true });
  });

  it('answers an unknown stream with 404', async () => {
    expect((await http().get('/admin/streams/no-such-stream/storage').expect(404)).body.type).toBe(
      `${PROBLEMS}stream-not-found`,
    );
  });
});
