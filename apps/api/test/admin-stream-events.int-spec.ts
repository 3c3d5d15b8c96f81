import type { INestApplication } from '@nestjs/common';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, startApiWith } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';

describe('GET /admin/streams/{stream}/events/newest on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  const streams: string[] = [];
  const http = () => clientAs(app, operator);
  const newStream = async () => {
    const { name } = await createTestStream(app, operator, { ownerTeam: 'ops', partitions: 2 });
    streams.push(name);
    return name;
  };

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    for (const stream of streams) await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('reads the newest events newest first, batches split, without any subscription', async () => {
    const stream = await newStream();
    // One key (one partition); the first request is one batch of three, then two single events.
    const event = (amount: number) => ({ key: 'u-newest', payload: { user: 'u-newest', amount } });
    await http().post(`/v1/streams/${stream}/events`).send([1, 2, 3].map(event)).expect(202);
    for (const amount of [4, 5])
      await http().post(`/v1/streams/${stream}/events`).send(event(amount)).expect(202);

    const three = await http().get(`/admin/streams/${stream}/events/newest?count=3`).expect(200);
    const all = await http().get(`/admin/streams/${stream}/events/newest?count=100`).expect(200);

    expect(three.body.map((message: { payload: { amount: number } }) => message.payload.amount)).toEqual([
      5, 4, 3,
    ]);
    expect(all.body.map((message: { payload: { amount: number } }) => message.payload.amount)).toEqual([
      5, 4, 3, 2, 1,
    ]);
    expect(all.body[0]).toMatchObject({ key: 'u-newest', messageId: expect.any(String) });
    expect((await http().get(`/admin/streams/${stream}/subscriptions`).expect(200)).body).toEqual([]);
  });

  it('answers an empty list for a stream without events, 404 for an unknown one, 400 for a bad count', async () => {
    const stream = await newStream();

    const empty = await http().get(`/admin/streams/${stream}/events/newest`).expect(200);
    const unknown = await http().get(`/admin/streams/${stream}-absent/events/newest`).expect(404);
    const bad = await http().get(`/admin/streams/${stream}/events/newest?count=0`).expect(400);

    expect(empty.body).toEqual([]);
    expect(JSON.parse(unknown.text).type).toBe(`${PROBLEMS}stream-not-found`);
    expect(JSON.parse(bad.text).type).toBe(`${PROBLEMS}invalid-request`);
  });
});
