import type { Server } from 'node:http';
import { BuiltInScorer } from '@gyre/ml';
import { Client } from '@gyre/pulsar';
import { EVENT_PROPERTIES, StreamNamespace } from '@gyre/streams';
import { startModelServer, twoFeatureModel } from '../../../tools/testing/model-server';
import { testPulsarClient, uniqueName, waitFor } from '../../../tools/testing';
import { collect, countById, provisionTestNamespace, testStage } from '../../../tools/testing/stages';
import { StageMetrics, StageRunner } from '@gyre/pipelines';
import { FeaturesPayload, InferHandler, LOOP_HANDLERS, PredictionPayload } from '../src';

const MODEL = twoFeatureModel();

describe('the infer stage scoring through an Open Inference Protocol (KServe v2) server', () => {
  let server: Server;
  let baseUrl: string;
  let state: { inferRequests: number };
  let namespace: StreamNamespace;
  let client: Client;
  let runner: StageRunner | undefined;

  beforeAll(async () => {
    ({ server, baseUrl, state } = await startModelServer(MODEL));
    namespace = await provisionTestNamespace();
    client = testPulsarClient();
  });

  afterAll(async () => {
    await runner?.drain(5_000);
    await client?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('scores batches on the model server, selected by stage parameters, as the built-in model would', async () => {
    const prefix = uniqueName('kserve');
    const topicOf = (stream: string) => namespace.topic(`${prefix}-${stream}`);
    const features: FeaturesPayload[] = Array.from({ length: 120 }, (_, n) => ({
      eventId: `tx-${n}`,
      cardId: `card-${n % 7}`,
      timestamp: n,
      epoch: 3,
      featureDefinition: 'fraud.card-features@1',
      values: [1 + (n % 50) / 10, n % 4],
    }));
    const metrics = new StageMetrics('it', 'infer');
    runner = new StageRunner({
      client,
      pipeline: 'it',
      stage: testStage({
        name: 'infer',
        handler: LOOP_HANDLERS.infer,
        input: { stream: 'features' },
        outputs: ['predictions'],
        batchSize: 20,
        batchMaxWaitMs: 50,
        concurrency: 2,
        parameters: {
          output: 'predictions',
          scorer: 'kserve',
          kserve: { baseUrl, model: 'fraud', version: '3', timeoutMs: 5000 },
        },
      }),
      // No built-in model exists for this pipeline: every score must come from the server.
      handler: new InferHandler({ current: () => Promise.resolve(undefined) }),
      topicOf,
      metrics,
    });
    const predictions = await collect(client, topicOf('predictions'));
    const producer = await client.createProducer({ topic: topicOf('features'), batchingEnabled: false });
    await Promise.all(
      features.map((payload) =>
        producer.send({
          data: Buffer.from(JSON.stringify(payload)),
          properties: { [EVENT_PROPERTIES.eventId]: payload.eventId, [EVENT_PROPERTIES.epoch]: '3' },
        }),
      ),
    );
    await producer.close();

    await runner.start();

    await waitFor(() => countById(predictions.messages).size === 120, {
      timeoutMs: 60_000,
      description: '120 predictions',
    });
    const expected = await new BuiltInScorer(MODEL, 'fraud-v3').score(features.map((f) => f.values));
    for (const message of predictions.messages) {
      const prediction = JSON.parse(message.getData().toString()) as PredictionPayload;
      const n = Number(prediction.eventId.slice(3));
      expect(prediction).toMatchObject({ model: 'kserve:fraud/3', modelVersion: null, epoch: 3 });
      expect(prediction.score).toBeCloseTo(expected[n], 6);
      expect(message.getProperties()[EVENT_PROPERTIES.epoch]).toBe('3');
    }
    // Batched: far fewer model calls than events.
    expect(state.inferRequests).toBeLessThanOrEqual(60);
    expect(metrics.snapshot()).toMatchObject({ processed: 120, retried: 0, deadLettered: 0 });
  });
});
