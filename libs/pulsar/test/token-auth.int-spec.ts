import { uniqueTopic, waitFor } from '../../../tools/testing';
import { AuthenticationToken, Client } from '../src';
import { PrivateBroker, freeBrokerPorts } from '../../../tools/testing/private-broker';
import { newTokenSecret, signToken, tokenAuthConfig } from './security-fixtures';

const ROLE = 'gyre-test';

describe(`${AuthenticationToken.name} against a broker with token authentication`, () => {
  const secret = newTokenSecret();
  const token = signToken(secret, { sub: ROLE });
  let broker: PrivateBroker;
  const clients: Client[] = [];
  const newClient = (auth?: AuthenticationToken, operationTimeoutSeconds = 10): Client => {
    const client = new Client({
      serviceUrl: broker.serviceUrl,
      authentication: auth,
      operationTimeoutSeconds,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    broker = await PrivateBroker.start(await freeBrokerPorts(), {
      adminToken: token,
      extraConfig: { ...tokenAuthConfig(secret, token, ROLE), authenticationRefreshCheckSeconds: '1' },
    });
  }, 240_000);
  afterAll(() => broker?.stop({ wipe: true }), 60_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('connects with a valid token, produces and consumes', async () => {
    const client = newClient(new AuthenticationToken({ token }));
    const topic = uniqueTopic('auth-ok');
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('authenticated') });
    const message = await consumer.receive(10_000);
    expect(message.getData().toString()).toBe('authenticated');
    await consumer.acknowledge(message);
  });

  it.each([
    ['a token signed with another key', () => signToken(newTokenSecret(), { sub: ROLE })],
    ['an expired token', () => signToken(secret, { sub: ROLE, exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a malformed token', () => 'not-a-jwt'],
  ])('refuses %s with a non-retriable BrokerError AuthenticationError, promptly', async (_, bad) => {
    const client = newClient(new AuthenticationToken({ token: bad() }), 30);
    const started = Date.now();
    await expect(client.createProducer({ topic: uniqueTopic('auth-bad') })).rejects.toMatchObject({
      name: 'BrokerError',
      serverError: 'AuthenticationError',
      retriable: false,
    });
    // Retried as if transient, it would fail only at the 30 s operation timeout; half of that leaves
    // room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a client without authentication', async () => {
    const client = newClient(undefined, 30);
    await expect(
      client.subscribe({ topic: uniqueTopic('auth-none'), subscription: 's' }),
    ).rejects.toMatchObject({
      name: 'BrokerError',
      serverError: 'AuthenticationError',
    });
  });

  it('answers the broker’s refresh challenge with a fresh token from the supplier and keeps the connection', async () => {
    let supplied = 0;
    const shortLived = async () => {
      supplied++;
      return signToken(secret, { sub: ROLE, exp: Math.floor(Date.now() / 1000) + 3 });
    };
    const client = newClient(new AuthenticationToken({ token: shortLived }));
    const closed: string[] = [];
    client.on('connectionClosed', (event) => closed.push(event.error?.message ?? 'closed'));
    const topic = uniqueTopic('auth-refresh');
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic });
    const before = supplied;
    await waitFor(() => supplied > before, { timeoutMs: 20_000, description: 'an auth refresh challenge' });
    // The broker challenges only once the first token has expired: the connection lives on by the refresh.
    await producer.send({ data: Buffer.from('after refresh') });
    expect((await consumer.receive(10_000)).getData().toString()).toBe('after refresh');
    expect(closed).toEqual([]);
    expect(producer.isConnected() && consumer.isConnected()).toBe(true);
  });
});
