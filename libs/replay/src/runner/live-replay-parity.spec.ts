import { attemptBatch, StageEvent, StageHandler } from '@gyre/pipelines';
import { Message, MessageId, ProducerMessage } from '@gyre/pulsar';
import { EVENT_PROPERTIES } from '@gyre/streams';
import type { DatasetPartWriter } from './dataset-part-writer';
import { PipelineStageSink } from './pipeline-stage-sink';
import type { StreamTarget } from './stream-target';

const OUTPUT = 'features-v1';
const id = new MessageId(7n, 42n, -1);

/** Two outputs per event (the second named by part), so ids by position and by part are both compared. */
const handler: StageHandler = {
  name: 'features',
  handle: async (event: StageEvent) => [
    { stream: OUTPUT, payload: { n: 1, of: event.id } },
    { stream: OUTPUT, payload: { n: 2 }, part: 'second', epoch: 'e-out' },
  ],
};

function liveMessage(properties: Record<string, string>): Message {
  return new Message({
    topic: 'persistent://gyre/streams/transactions',
    id,
    data: Buffer.from('{"amount":12.5}'),
    properties,
    publishTimestamp: 1_700_000_000_500,
    eventTimestamp: 0,
    redeliveryCount: 0,
    partitionKey: 'card-1',
    producerName: 'p',
    sequenceId: 1,
    nullValue: false,
  });
}

async function liveOutputs(properties: Record<string, string>): Promise<ProducerMessage[]> {
  const published: ProducerMessage[] = [];
  const [failure] = await attemptBatch([liveMessage(properties)], {
    handler,
    stage: { pipeline: 'fraud', name: 'prepare', outputs: [OUTPUT] },
    context: {
      pipeline: 'fraud',
      stage: 'prepare',
      attempt: 1,
      parameters: {},
      signal: new AbortController().signal,
    },
    publish: async (encoded) => published.push(...encoded.map(({ message }) => message)),
  });
  expect(failure).toBeUndefined();
  return published;
}

async function replayOutputs(properties: Record<string, string>): Promise<ProducerMessage[]> {
  const sent: ProducerMessage[] = [];
  const target = {
    send: async (message: ProducerMessage) => void sent.push(message),
  } as unknown as StreamTarget;
  const dataset = { add: () => undefined } as unknown as DatasetPartWriter;
  const run = {
    jobId: 'job-1',
    pipeline: 'fraud',
    stage: 'prepare',
    handler,
    parameters: {},
    allowedLatenessMs: 0,
    output: OUTPUT,
    datasetRow: () => undefined,
  };
  // As the partition replay hands the event over: the source's id, or its position when it has none.
  const position = id.toJavaString();
  await new PipelineStageSink(run, target, dataset).accept({
    data: Buffer.from('{"amount":12.5}'),
    key: 'card-1',
    eventTimestamp: undefined,
    publishTimestamp: 1_700_000_000_500,
    properties: {},
    sourceProperties: properties,
    position,
    sequence: 1,
    sourceEventId: properties[EVENT_PROPERTIES.eventId] || position,
  });
  return sent;
}

const lineage = (messages: ProducerMessage[]) =>
  messages.map(({ properties, data }) => ({
    id: properties?.[EVENT_PROPERTIES.eventId],
    parent: properties?.[EVENT_PROPERTIES.parentId],
    epoch: properties?.[EVENT_PROPERTIES.epoch],
    payload: data.toString(),
  }));

describe('live and replayed stage execution', () => {
  it.each([
    [
      'an event with its own id and epoch',
      { [EVENT_PROPERTIES.eventId]: 'evt-1', [EVENT_PROPERTIES.epoch]: 'e-1' },
    ],
    ['an event with no id (its message id stands in)', {}],
    ['an event whose id is empty', { [EVENT_PROPERTIES.eventId]: '' }],
  ])('gives %s the same output ids, lineage and payloads live and in a replay', async (_, properties) => {
    const live = lineage(await liveOutputs(properties));
    const replayed = lineage(await replayOutputs(properties));
    expect(live).toHaveLength(2);
    expect(new Set(live.map(({ id: outputId }) => outputId)).size).toBe(2);
    expect(replayed).toEqual(live);
  });
});
