import type { Message } from '@gyre/pulsar';
import { PipelineService } from '@gyre/pipelines';
import { waitFor } from '../../../tools/testing';
import { collect, publishEvents } from '../../../tools/testing/stages';
import { useWorkersFixture } from './fixtures/workers-fixture';

const EVENTS = 640;
const KEYS = 64;

/** An `it.copy` stage from `<prefix>-in` to `<prefix>-<name>-out`. */
function copyStage(prefix: string, name: string, subscriptionType: 'Shared' | 'Key_Shared') {
  const output = `${prefix}-${name}-out`;
  return {
    name,
    input: {
      stream: `${prefix}-in`,
      subscription: `${prefix}-${name}`,
      subscriptionType,
      initialPosition: 'Earliest',
    },
    handler: 'it.copy',
    outputs: [output],
    concurrency: 4,
    parameters: { delayMs: 5, output },
  };
}

/** A metric line of one stage in a worker's /metrics (-1 when the stage does not run there). */
async function stageMetric(port: number, metric: string, pipeline: string, stage: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text());
  const match = new RegExp(`^${metric}\\{pipeline="${pipeline}",stage="${stage}"\\} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : -1;
}

/** The `n` of each output in arrival order, per partition key (its first arrival only). */
function arrivalsByKey(messages: readonly Message[]): Map<string, number[]> {
  const seen = new Set<number>();
  const byKey = new Map<string, number[]>();
  for (const message of messages) {
    const { n } = JSON.parse(message.getData().toString()) as { n: number };
    if (seen.has(n)) continue;
    seen.add(n);
    const key = message.getPartitionKey() ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  return byKey;
}

describe('several workers processes on one pipeline', () => {
  const fixture = useWorkersFixture();

  it('divide a Shared and a Key_Shared stage between three processes: every event output, each key in order, each process a part', async () => {
    const pipeline = 'scale';
    await new PipelineService(fixture.dataSource).save(pipeline, {
      stages: [copyStage(pipeline, 'shared', 'Shared'), copyStage(pipeline, 'keyed', 'Key_Shared')],
    });
    const shared = await collect(fixture.client, fixture.namespace.topic(`${pipeline}-shared-out`));
    const keyed = await collect(fixture.client, fixture.namespace.topic(`${pipeline}-keyed-out`));
    const workers = await Promise.all([1, 2, 3].map(() => fixture.workers.start()));
    const inFlight = (port: number, stage: string) =>
      stageMetric(port, 'gyre_stage_events_in_flight', pipeline, stage).catch(() => -1);
    // Every process subscribed to both stages before the events come, so none of them starts with the whole backlog.
    await waitFor(
      async () =>
        (
          await Promise.all(
            workers.flatMap(({ port }) => [inFlight(port, 'shared'), inFlight(port, 'keyed')]),
          )
        ).every((value) => value >= 0),
      { timeoutMs: 120_000, description: 'three workers running both stages' },
    );

    await publishEvents(
      fixture.client,
      fixture.namespace.topic(`${pipeline}-in`),
      EVENTS,
      (n) => `card-${n % KEYS}`,
    );

    await waitFor(
      () => arrivalsByKey(shared.messages).size === KEYS && arrivalsByKey(keyed.messages).size === KEYS,
      { timeoutMs: 120_000, description: 'outputs of every key on both stages' },
    );
    await waitFor(
      () =>
        [shared, keyed].every(
          ({ messages }) =>
            [...arrivalsByKey(messages).values()].reduce((sum, ns) => sum + ns.length, 0) === EVENTS,
        ),
      { timeoutMs: 120_000, description: `an output of each of the ${EVENTS} events on both stages` },
    );
    // Key_Shared: each key's outputs came in the order of its inputs, across the three processes.
    for (const [key, ns] of arrivalsByKey(keyed.messages)) {
      expect({ key, ns }).toEqual({ key, ns: [...ns].sort((a, b) => a - b) });
    }
    // Each process handled part of each stage, and together all of it (acks follow the outputs' receipts).
    for (const stage of ['shared', 'keyed']) {
      const processed = await waitFor(
        async () => {
          const counts = await Promise.all(
            workers.map(({ port }) =>
              stageMetric(port, 'gyre_stage_events_processed_total', pipeline, stage),
            ),
          );
          return counts.reduce((sum, count) => sum + count, 0) >= EVENTS && counts;
        },
        { description: `${stage}: every event acked` },
      );
      expect(processed.every((count) => count > 0)).toBe(true);
    }
  });
});
