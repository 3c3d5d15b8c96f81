import { createHash } from 'node:crypto';
import { FeatureName, validateFeatureDefinition } from '../features/feature-definition';
import { MlError } from '../ml-error';
import type { LogisticModel } from './logistic-model';

export const MODEL_ARTIFACT_FORMAT = 'gyre.logistic-regression';
export const MODEL_ARTIFACT_FORMAT_VERSION = 1;

/** The JSON stored in S3 for a model version. `checksum` covers every other field. */
export interface ModelArtifact extends LogisticModel {
  readonly format: typeof MODEL_ARTIFACT_FORMAT;
  readonly formatVersion: typeof MODEL_ARTIFACT_FORMAT_VERSION;
  /** `sha256:<hex>` of the canonical JSON (sorted keys) of the artifact without this field. */
  readonly checksum: string;
}

/** Serializes a model as its artifact: stable JSON (sorted keys) with its SHA-256 checksum. */
export function serializeModel(model: LogisticModel): string {
  const body = {
    format: MODEL_ARTIFACT_FORMAT,
    formatVersion: MODEL_ARTIFACT_FORMAT_VERSION,
    featureDefinition: model.featureDefinition,
    standardization: model.standardization,
    weights: model.weights,
    bias: model.bias,
    training: model.training,
  };
  return canonicalJson({ ...body, checksum: checksumOf(body) });
}

/**
 * Parses and verifies an artifact: UNSUPPORTED_ARTIFACT_FORMAT for another format or version,
 * ARTIFACT_CHECKSUM_MISMATCH when the content does not match its checksum, INVALID_ARTIFACT for
 * anything malformed. Only a verified artifact becomes a model.
 */
export function parseModelArtifact(text: string | Uint8Array): ModelArtifact {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch (error) {
    throw new MlError('INVALID_ARTIFACT', 'a model artifact must be JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MlError('INVALID_ARTIFACT', 'a model artifact must be a JSON object');
  }
  const { checksum, ...body } = parsed as Record<string, unknown>;
  if (body.format !== MODEL_ARTIFACT_FORMAT || body.formatVersion !== MODEL_ARTIFACT_FORMAT_VERSION) {
    throw new MlError(
      'UNSUPPORTED_ARTIFACT_FORMAT',
      `expected ${MODEL_ARTIFACT_FORMAT} v${MODEL_ARTIFACT_FORMAT_VERSION}, got ${String(body.format)} v${String(body.formatVersion)}`,
    );
  }
  const actual = checksumOf(body);
  if (checksum !== actual) {
    throw new MlError(
      'ARTIFACT_CHECKSUM_MISMATCH',
      `artifact checksum ${String(checksum)} does not match its content (${actual})`,
    );
  }
  const artifact = { ...body, checksum } as unknown as ModelArtifact;
  checkShape(artifact);
  return artifact;
}

function checkShape(artifact: ModelArtifact): void {
  const { featureDefinition, standardization, weights, bias } = artifact;
  try {
    validateFeatureDefinition({
      id: featureDefinition?.id,
      version: featureDefinition?.version,
      features: [...(featureDefinition?.features ?? [])] as FeatureName[],
    });
  } catch (error) {
    throw new MlError('INVALID_ARTIFACT', 'the artifact names an invalid feature definition', {
      cause: error,
    });
  }
  const size = featureDefinition.features.length;
  const numbers = (values: unknown) =>
    Array.isArray(values) && values.length === size && values.every((value) => Number.isFinite(value));
  if (
    !numbers(weights) ||
    !numbers(standardization?.mean) ||
    !numbers(standardization?.std) ||
    !standardization.std.every((value) => value > 0) ||
    !Number.isFinite(bias)
  ) {
    throw new MlError('INVALID_ARTIFACT', `weights and standardization must hold ${size} finite numbers`);
  }
}

function checksumOf(body: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`;
}

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
