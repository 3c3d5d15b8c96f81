import { testPulsarClient, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, MessageId, Producer, Reader } from '../src';

/** Reader behaviours of the official pulsar-client, on the real broker (run by `npm run test:compat`). */
describe('Reader compatibility with pulsar-client', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  async function sendAll(producer: Producer, payloads: string[]): Promise<MessageId[]> {
    const ids: MessageId[] = [];
    for (const data of payloads) ids.push(await producer.send({ data: Buffer.from(data) }));
    return ids;
  }

  it('reports a message available to a reader started at latest once one is sent after it started', async () => {
    const topic = uniqueTopic('compat-latest');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await sendAll(producer, ['before']);
    const reader = await client.createReader({ topic, startMessageId: MessageId.latest() });
    expect(await reader.hasMessageAvailable()).toBe(false);
    expect(reader.hasNext()).toBe(false);
    await sendAll(producer, ['after']);
    expect(await reader.hasMessageAvailable()).toBe(true);
    expect((await reader.readNext(10_000)).getData().toString()).toBe('after');
    expect(await reader.hasMessageAvailable()).toBe(false);
  });

  it('starts a reader at latest inclusively at the last message already stored', async () => {
    const topic = uniqueTopic('compat-latest-inclusive');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await sendAll(producer, ['0', '1', '2']);
    const reader = await client.createReader({
      topic,
      startMessageId: MessageId.latest(),
      startMessageIdInclusive: true,
    });
    expect(reader.hasNext()).toBe(true);
    expect((await reader.readNext(10_000)).getData().toString()).toBe('2');
    expect(await reader.hasMessageAvailable()).toBe(false);
  });

  it('answers hasNext() synchronously, as the official client, for a backlog present at creation', async () => {
    const topic = uniqueTopic('compat-has-next');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await sendAll(producer, ['a', 'b', 'c']);
    const reader = await client.createReader({ topic, startMessageId: MessageId.earliest() });
    const read: string[] = [];
    while (reader.hasNext()) read.push((await reader.readNext(10_000)).getData().toString());
    expect(read).toEqual(['a', 'b', 'c']);
  });

  it('seeks a reader to just after a message id, or to it with startMessageIdInclusive', async () => {
    const topic = uniqueTopic('compat-reader-seek');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids = await sendAll(producer, ['0', '1', '2', '3']);
    const readRest = async (reader: Reader): Promise<string[]> => {
      const out: string[] = [];
      while (await reader.hasMessageAvailable())
        out.push((await reader.readNext(10_000)).getData().toString());
      return out;
    };
    const exclusive = await client.createReader({ topic, startMessageId: MessageId.earliest() });
    expect(await readRest(exclusive)).toEqual(['0', '1', '2', '3']);
    await exclusive.seek(ids[1]);
    expect(await readRest(exclusive)).toEqual(['2', '3']);

    const inclusive = await client.createReader({
      topic,
      startMessageId: MessageId.earliest(),
      startMessageIdInclusive: true,
    });
    await inclusive.seek(ids[1]);
    expect(await readRest(inclusive)).toEqual(['1', '2', '3']);
  });

  it('refuses a reader without startMessageId and a reader listener with InvalidConfiguration', async () => {
    const topic = uniqueTopic('compat-reader-config');
    await expect(client.createReader({ topic } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('StartMessageId is required'),
    });
    await expect(
      client.createReader({
        topic,
        startMessageId: MessageId.earliest(),
        listener: () => undefined,
      } as never),
    ).rejects.toThrow(/^InvalidConfiguration: reader option 'listener'/);
  });

  it('reads messages sent after a latest reader started, one by one', async () => {
    const topic = uniqueTopic('compat-latest-stream');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const reader = await client.createReader({ topic, startMessageId: MessageId.latest() });
    await sendAll(producer, ['x', 'y']);
    await waitFor(() => reader.hasNext(), { description: 'hasNext() once the messages arrived' });
    expect((await reader.readNext(10_000)).getData().toString()).toBe('x');
    expect((await reader.readNext(10_000)).getData().toString()).toBe('y');
  });
});
