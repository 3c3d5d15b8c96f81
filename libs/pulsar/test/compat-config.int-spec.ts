import { testEndpoints, testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, MessageId } from '../src';

/**
 * Options the official pulsar-client has and this client does not implement are refused, never ignored;
 * errors carry the official result names applications match (`npm run test:compat`).
 */
describe('Configuration and error compatibility with pulsar-client', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it.each([
    ['publicKeyPath', '/keys/public.pem'],
    ['encryptionKey', 'app-key'],
    ['messageRoutingMode', 'Broadcast'],
    ['accessMode', 'WaitForExclusive'],
    ['producerNmae', 'typo'],
  ])('refuses the producer option %s instead of ignoring it', async (name, value) => {
    await expect(
      client.createProducer({ topic: uniqueTopic('compat-refuse'), [name]: value }),
    ).rejects.toThrow(new RegExp(`^InvalidConfiguration: .*'${name}'`));
  });

  it.each([
    ['cryptoKeyReader', {}],
    ['regexSubscriptionMode', 'Everything'],
    ['nAckRedeliverTimeoutMs', -1],
    ['maxPendingChunkedMessage', -1],
    ['expireTimeOfIncompleteChunkedMessageMs', 'soon'],
  ])('refuses the consumer option %s = %p', async (name, value) => {
    const config = { topic: uniqueTopic('compat-refuse'), subscription: 'sub', [name]: value };
    await expect(client.subscribe(config)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses an unknown service URL scheme and client log options when the client is built', () => {
    expect(() => new Client({ serviceUrl: 'ftp://127.0.0.1:8080' })).toThrow(/InvalidUrl/);
    const log = () => undefined;
    expect(() => new Client({ serviceUrl: testEndpoints().pulsarServiceUrl, log } as never)).toThrow(
      /client option 'log'/,
    );
    expect(() => Client.setLogHandler(log)).toThrow(/OperationNotSupported/);
  });

  it("words timeouts and closed handles as the official client ('TimeOut', 'AlreadyClosed')", async () => {
    const topic = uniqueTopic('compat-errors');
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    await expect(consumer.receive(200)).rejects.toThrow(/TimeOut/);
    await consumer.close();
    await expect(consumer.receive()).rejects.toThrow(/AlreadyClosed/);
    const reader = await client.createReader({ topic, startMessageId: MessageId.latest() });
    await expect(reader.readNext(200)).rejects.toThrow(/TimeOut/);
    const producer = await client.createProducer({ topic });
    await producer.close();
    await expect(producer.send({ data: Buffer.from('late') })).rejects.toThrow(/AlreadyClosed/);
    await client.close();
    await expect(client.createProducer({ topic })).rejects.toThrow(/AlreadyClosed/);
  });
});
