import { MessageId } from '@gyre/pulsar';
import { uniqueName } from '../../../tools/testing';
import { StreamTarget } from '../src/runner/stream-target';
import { ReplayTestWorld } from './replay-test-world';

function replayed(sequence: number) {
  return {
    data: Buffer.from(JSON.stringify({ sequence })),
    key: 'card-1',
    eventTimestamp: undefined,
    publishTimestamp: Date.now(),
    properties: {},
    sourceProperties: {},
    position: `1:${sequence}:0`,
    sequence,
    sourceEventId: `e-${sequence}`,
  };
}

describe(StreamTarget.name, () => {
  const world = new ReplayTestWorld();
  beforeAll(() => world.start());
  afterAll(() => world.stop());

  it('resumes past what the broker stored for its producer name: a resent batch straddling it loses nothing', async () => {
    const { client } = world;
    const stream = await world.createStream('it-target', 1);
    const producerName = uniqueName('replay-job-p0');
    // The job's first owner stored sequence ids 1..10 under the producer name, then died.
    const first = await client.createProducer({
      topic: `${stream.topic}-partition-0`,
      producerName,
      batchingEnabled: false,
    });
    for (let sequence = 1; sequence <= 10; sequence++)
      await first.send({ ...replayed(sequence), sequenceId: sequence });
    await first.close();

    // The next owner resumes from an older checkpoint (after 5) and sends 6..20 at once, so they batch.
    const target = new StreamTarget(client, stream.topic, 1, producerName, 0);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => target.accept(replayed(6 + i))));
    await target.close();

    expect(results.filter((result) => result === 'stored')).toHaveLength(5);
    const reader = await client.createReader({
      topic: `${stream.topic}-partition-0`,
      startMessageId: MessageId.earliest(),
    });
    const stored: number[] = [];
    while (await reader.hasMessageAvailable())
      stored.push(
        (JSON.parse((await reader.readNext(10_000)).getData().toString()) as { sequence: number }).sequence,
      );
    await reader.close();
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
