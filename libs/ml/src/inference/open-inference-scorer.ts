import { MlError } from '../ml-error';
import type { V2InferenceRequest, V2InferenceResponse, V2ModelMetadata } from './open-inference-protocol';
import type { Scorer } from './scorer';

export interface OpenInferenceScorerOptions {
  /** e.g. `http://fraud-model.default.svc:8080`; without a trailing `/v2`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly version?: string;
  /** Per request. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Name of the input tensor. Default `input-0`. */
  readonly inputName?: string;
  /** Output tensor holding the fraud probabilities; default the first one. */
  readonly outputName?: string;
  /** Injected in tests; default the global fetch. */
  readonly fetch?: typeof fetch;
}

/**
 * A client of any model server speaking the Open Inference Protocol (KServe v2 REST): sends the
 * feature vectors as one FP32 tensor of shape [n, features] and reads one probability per row.
 * Failures are MlErrors: INFERENCE_TIMEOUT and INFERENCE_UNAVAILABLE (retriable), INFERENCE_REJECTED
 * (a 4xx) and INFERENCE_PROTOCOL_ERROR (a response that does not follow the protocol).
 */
export class OpenInferenceScorer implements Scorer {
  readonly modelVersion: string;
  private readonly modelPath: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OpenInferenceScorerOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    const model = encodeURIComponent(options.model);
    const version = options.version === undefined ? '' : `/versions/${encodeURIComponent(options.version)}`;
    this.modelPath = `${base}/v2/models/${model}${version}`;
    this.modelVersion = `kserve:${options.model}${options.version === undefined ? '' : `/${options.version}`}`;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.fetch = options.fetch ?? fetch;
  }

  /** GET /v2/health/ready: 200 means ready, a 4xx not ready (the protocol's convention); a 5xx throws. */
  async ready(options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/v2/health/ready`;
    const response = await this.request(url, { method: 'GET' }, options.signal, true);
    return response.ok;
  }

  /** GET /v2/models/{name}[/versions/{v}]. */
  async metadata(options: { signal?: AbortSignal } = {}): Promise<V2ModelMetadata> {
    const response = await this.request(this.modelPath, { method: 'GET' }, options.signal);
    const body = (await this.json(response)) as Partial<V2ModelMetadata>;
    if (typeof body.name !== 'string' || !Array.isArray(body.inputs) || !Array.isArray(body.outputs)) {
      throw new MlError(
        'INFERENCE_PROTOCOL_ERROR',
        `model metadata of ${this.modelVersion} lacks name, inputs or outputs`,
      );
    }
    return body as V2ModelMetadata;
  }

  async score(
    vectors: readonly (readonly number[])[],
    options: { signal?: AbortSignal } = {},
  ): Promise<number[]> {
    if (vectors.length === 0) return [];
    const width = vectors[0].length;
    if (!vectors.every((vector) => vector.length === width)) {
      throw new MlError('INVALID_ARGUMENT', 'every feature vector of a request must have the same length');
    }
    const request: V2InferenceRequest = {
      inputs: [
        {
          name: this.options.inputName ?? 'input-0',
          shape: [vectors.length, width],
          datatype: 'FP32',
          data: vectors.flat(),
        },
      ],
    };
    const response = await this.request(
      `${this.modelPath}/infer`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
      options.signal,
    );
    return this.probabilities((await this.json(response)) as Partial<V2InferenceResponse>, vectors.length);
  }

  private probabilities(body: Partial<V2InferenceResponse>, rows: number): number[] {
    const outputs = Array.isArray(body.outputs) ? body.outputs : [];
    const wanted = this.options.outputName;
    const output = wanted === undefined ? outputs[0] : outputs.find((tensor) => tensor?.name === wanted);
    if (!output || !Array.isArray(output.data)) {
      throw new MlError(
        'INFERENCE_PROTOCOL_ERROR',
        `the response of ${this.modelVersion} has no output ${wanted ?? ''}`.trim(),
      );
    }
    // [n] or [n, 1]: one probability per row.
    const data = output.data.flat(Infinity as 1) as unknown[];
    if (
      data.length !== rows ||
      !data.every((value) => typeof value === 'number' && value >= 0 && value <= 1)
    ) {
      throw new MlError(
        'INFERENCE_PROTOCOL_ERROR',
        `output ${output.name} of ${this.modelVersion} must hold ${rows} probabilities, got ${data.length} values`,
      );
    }
    return data as number[];
  }

  private async request(
    url: string,
    init: RequestInit,
    signal?: AbortSignal,
    acceptUnready = false,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetch(url, { ...init, signal: combined });
    } catch (error) {
      if (timeout.aborted) {
        throw new MlError(
          'INFERENCE_TIMEOUT',
          `${init.method} ${url} took longer than ${this.timeoutMs} ms`,
          { cause: error },
        );
      }
      if (signal?.aborted) throw error;
      throw new MlError('INFERENCE_UNAVAILABLE', `${init.method} ${url} failed: ${describe(error)}`, {
        cause: error,
      });
    }
    if (response.ok || (acceptUnready && response.status < 500)) return response;
    const detail = await response.text().catch(() => '');
    const code =
      response.status >= 500 || response.status === 429 ? 'INFERENCE_UNAVAILABLE' : 'INFERENCE_REJECTED';
    throw new MlError(code, `${init.method} ${url} answered ${response.status}: ${detail.slice(0, 200)}`);
  }

  private async json(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      throw new MlError('INFERENCE_PROTOCOL_ERROR', `${this.modelVersion} answered with invalid JSON`, {
        cause: error,
      });
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
