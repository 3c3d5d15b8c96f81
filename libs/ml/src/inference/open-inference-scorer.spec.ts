import type { Server } from 'node:http';
import { startModelServer, twoFeatureModel } from '../../../../tools/testing/model-server';
import { BuiltInScorer } from './built-in-scorer';
import { OpenInferenceScorer } from './open-inference-scorer';

const MODEL = twoFeatureModel();

describe(OpenInferenceScorer.name, () => {
  const vectors = [
    [2.5, 0],
    [6.9, 3],
    [4.1, 1],
  ];
  let server: Server;
  let baseUrl: string;
  let state: { ready: boolean };

  beforeAll(async () => {
    ({ server, baseUrl, state } = await startModelServer(MODEL));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('scores over the v2 protocol as the built-in model does in process', async () => {
    const remote = new OpenInferenceScorer({ baseUrl, model: 'fraud', version: '3' });
    const local = new BuiltInScorer(MODEL, 'fraud-v3');

    const [remoteScores, localScores] = await Promise.all([remote.score(vectors), local.score(vectors)]);

    expect(remote.modelVersion).toBe('kserve:fraud/3');
    remoteScores.forEach((score, i) => expect(score).toBeCloseTo(localScores[i], 6));
    expect(await remote.score([])).toEqual([]);
  });

  it('reads readiness and model metadata', async () => {
    const scorer = new OpenInferenceScorer({ baseUrl: `${baseUrl}/`, model: 'fraud' });

    expect(await scorer.ready()).toBe(true);
    state.ready = false;
    try {
      expect(await scorer.ready()).toBe(false);
    } finally {
      state.ready = true;
    }
    expect(await scorer.metadata()).toMatchObject({
      name: 'fraud',
      inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 2] }],
    });
  });

  it('gives up after its timeout with a retriable INFERENCE_TIMEOUT', async () => {
    const scorer = new OpenInferenceScorer({ baseUrl, model: 'slow', timeoutMs: 50 });

    await expect(scorer.score(vectors)).rejects.toMatchObject({
      name: 'MlError',
      code: 'INFERENCE_TIMEOUT',
      retriable: true,
    });
  });

  it('reports a server error as a retriable INFERENCE_UNAVAILABLE and an unknown model as INFERENCE_REJECTED', async () => {
    await expect(new OpenInferenceScorer({ baseUrl, model: 'failing' }).score(vectors)).rejects.toMatchObject(
      {
        code: 'INFERENCE_UNAVAILABLE',
        retriable: true,
      },
    );
    await expect(
      new OpenInferenceScorer({ baseUrl, model: 'fraud', version: '9' }).score(vectors),
    ).rejects.toMatchObject({
      code: 'INFERENCE_REJECTED',
      retriable: false,
    });
  });

  it('rejects a response without one probability per row as INFERENCE_PROTOCOL_ERROR', async () => {
    await expect(new OpenInferenceScorer({ baseUrl, model: 'broken' }).score(vectors)).rejects.toMatchObject({
      code: 'INFERENCE_PROTOCOL_ERROR',
      retriable: false,
    });
  });

  it('reports a server nobody listens on as a retriable INFERENCE_UNAVAILABLE', async () => {
    const closed = await startModelServer(MODEL);
    await new Promise((resolve) => closed.server.close(resolve));

    await expect(
      new OpenInferenceScorer({ baseUrl: closed.baseUrl, model: 'fraud' }).score(vectors),
    ).rejects.toMatchObject({
      code: 'INFERENCE_UNAVAILABLE',
      retriable: true,
    });
  });

  it('stops when the caller aborts, with the caller’s reason rather than a timeout', async () => {
    const controller = new AbortController();
    const pending = new OpenInferenceScorer({ baseUrl, model: 'slow', timeoutMs: 10_000 }).score(vectors, {
      signal: controller.signal,
    });
    controller.abort(new Error('draining'));

    await expect(pending).rejects.toThrow('draining');
  });
});
