import {
  AnyStageHandler,
  BatchItemResult,
  HandlerError,
  StageEvent,
  StageHandler,
  StageOutput,
} from '@gyre/pipelines';
import type { ProducerMessage } from '@gyre/pulsar';
import type { DatasetPartWriter } from './dataset-part-writer';
import { PipelineStageSink } from './pipeline-stage-sink';
import type { ReplayedEvent } from './replay-sink';
import type { StreamTarget } from './stream-target';

const OUTPUT = 'features-v1';

function replayed(sequence: number, key: string, data = JSON.stringify({ n: sequence })): ReplayedEvent {
  return {
    data: Buffer.from(data),
    key,
    eventTimestamp: undefined,
    publishTimestamp: 1_000 + sequence,
    properties: {},
    sourceProperties: {},
    position: `1:${sequence}:0`,
    sequence,
    sourceEventId: `event-${sequence}`,
  };
}

const echo = (event: StageEvent): StageOutput[] => [{ stream: OUTPUT, payload: event.payload }];

/** A sink over an in-memory target and dataset (pure logic: no broker or storage behaviour is claimed). */
function sinkWith(handler: AnyStageHandler) {
  const sent: ProducerMessage[] = [];
  const target = {
    send: async (message: ProducerMessage) => void sent.push(message),
    close: async () => undefined,
  } as unknown as StreamTarget;
  const dataset = { add: () => undefined, flush: async () => undefined } as unknown as DatasetPartWriter;
  const sink = new PipelineStageSink(
    {
      jobId: 'job-1',
      pipeline: 'fraud',
      stage: 'prepare',
      handler,
      parameters: {},
      allowedLatenessMs: 5_000,
      output: OUTPUT,
      datasetRow: () => undefined,
    },
    target,
    dataset,
  );
  return { sink, sent };
}

function batchHandler(results: (events: readonly StageEvent[]) => BatchItemResult[]) {
  const batches: string[][] = [];
  const handler: AnyStageHandler = {
    name: 'test.batch',
    handleBatch: async (events) => {
      batches.push(events.map((event) => event.id));
      return results(events);
    },
  };
  return { handler, batches };
}

describe(PipelineStageSink.name, () => {
  it('runs the handler with the live stage’s allowed lateness', async () => {
    const lateness: (number | undefined)[] = [];
    const handler: StageHandler = {
      name: 'test.lateness',
      handle: async (event, context) => {
        lateness.push(context.allowedLatenessMs);
        return echo(event);
      },
    };
    const { sink } = sinkWith(handler);

    const accepted = sink.accept(replayed(1, 'card-1'));
    sink.drain();
    await accepted;

    expect(lateness).toEqual([5_000]);
  });

  it('hands a batch handler full batches of 64 in read order, and the rest when drained', async () => {
    const { handler, batches } = batchHandler((events) => events.map(echo));
    const { sink, sent } = sinkWith(handler);

    const accepted = Array.from({ length: 70 }, (_, index) =>
      sink.accept(replayed(index + 1, `card-${index % 3}`)),
    );
    sink.drain();
    await Promise.all(accepted);

    expect(batches.map((batch) => batch.length)).toEqual([64, 6]);
    expect(batches.flat()).toEqual(Array.from({ length: 70 }, (_, index) => `event-${index + 1}`));
    expect(sent.map((message) => message.sequenceId)).toEqual(
      Array.from({ length: 70 }, (_, index) => (index + 1) * 16),
    );
  });

  it('fails an event of a batch as a failed single event does, with its key’s later events, and goes on with other keys', async () => {
    const { handler } = batchHandler((events) =>
      events.map((event) =>
        event.id === 'event-2'
          ? new HandlerError('DB_DOWN', 'transient', { retriable: true })
          : event.id === 'event-3'
            ? new HandlerError('LATE', 'refused', { retriable: false })
            : echo(event),
      ),
    );
    const { sink, sent } = sinkWith(handler);

    const accepted = [
      sink.accept(replayed(1, 'a')),
      sink.accept(replayed(2, 'a')),
      sink.accept(replayed(3, 'b')),
      sink.accept(replayed(4, 'a')),
      sink.accept(replayed(5, 'b')),
      sink.accept(replayed(6, 'c', 'not json')),
    ];
    sink.drain();
    const outcomes = await Promise.allSettled(accepted);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const index of [1, 3])
      expect((outcomes[index] as PromiseRejectedResult).reason).toMatchObject({
        code: 'REPLAY_TARGET_UNAVAILABLE',
        retriable: true,
      });
    expect(sent.map((message) => message.sequenceId)).toEqual([1 * 16, 5 * 16]);
  });

  it('fails every event of a batch whose handleBatch throws', async () => {
    const { handler } = batchHandler(() => {
      throw new Error('transaction rolled back');
    });
    const { sink, sent } = sinkWith(handler);

    const accepted = [sink.accept(replayed(1, 'a')), sink.accept(replayed(2, 'b'))];
    sink.drain();
    const outcomes = await Promise.allSettled(accepted);

    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(sent).toEqual([]);
  });

  it('calls a handler without a batch form once per event, without waiting for a drain', async () => {
    const handled: string[] = [];
    const handler: StageHandler = {
      name: 'test.single',
      handle: async (event) => {
        handled.push(event.id);
        return echo(event);
      },
    };
    const { sink, sent } = sinkWith(handler);

    await Promise.all([sink.accept(replayed(1, 'a')), sink.accept(replayed(2, 'a'))]);

    expect(handled).toEqual(['event-1', 'event-2']);
    expect(sent.map((message) => message.sequenceId)).toEqual([16, 32]);
  });
});
