import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuiltInScorer, LogisticModel, V2InferenceRequest } from '@gyre/ml';

// A separate entry from index.ts: it loads the ml domain, which most tests do not need.

/** A minimal Open Inference Protocol (KServe v2 REST) server around the built-in model. */
export function startModelServer(
  model: LogisticModel,
): Promise<{ server: Server; baseUrl: string; state: { ready: boolean; inferRequests: number } }> {
  const builtIn = new BuiltInScorer(model, 'fraud-v3');
  const state = { ready: true, inferRequests: 0 };
  const metadata = {
    name: 'fraud',
    versions: ['3'],
    platform: 'gyre-logistic-regression',
    inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, model.weights.length] }],
    outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
  };
  const send = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    if (request.method === 'GET' && url === '/v2/health/ready') {
      return send(response, state.ready ? 200 : 400, { ready: state.ready });
    }
    if (request.method === 'GET' && /^\/v2\/models\/fraud(\/versions\/3)?$/.test(url))
      return send(response, 200, metadata);
    const infer = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/infer$/.exec(url);
    if (request.method !== 'POST' || !infer) return send(response, 404, { error: `no route ${url}` });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const [, name, version] = infer;
    state.inferRequests += 1;
    if (name === 'slow') return; // never answers: the client's timeout must fire
    if (name === 'failing') return send(response, 500, { error: 'model crashed' });
    if (name === 'broken')
      return send(response, 200, { model_name: name, outputs: [{ name: 'p', data: [7] }] });
    if (name !== 'fraud' || (version !== undefined && version !== '3')) {
      return send(response, 404, { error: `model ${name} not found` });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as V2InferenceRequest;
    const [input] = body.inputs;
    const [rows, width] = input.shape;
    const data = (input.data as number[]).map(Math.fround);
    const vectors = Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
    const probabilities = await builtIn.score(vectors);
    return send(response, 200, {
      model_name: 'fraud',
      model_version: '3',
      outputs: [{ name: 'probability', shape: [rows, 1], datatype: 'FP32', data: probabilities }],
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}`, state });
    });
  });
}

/** A small trained-looking model over two card features, shared by the scorer and artifact tests. */
export function twoFeatureModel(training: Partial<LogisticModel['training']> = {}): LogisticModel {
  return {
    featureDefinition: { id: 'fraud.card-features', version: 1, features: ['log_amount', 'count_1h'] },
    standardization: { mean: [3.2, 0.4], std: [1.1, 0.7] },
    weights: [0.8, 1.25],
    bias: -3.5,
    training: {
      algorithm: 'newton-irls',
      examples: 1000,
      positives: 30,
      l2: 0.001,
      positiveWeight: 1,
      iterations: 7,
      converged: true,
      objective: 0.1,
      tags: {},
      ...training,
    },
  };
}
