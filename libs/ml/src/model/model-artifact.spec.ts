import type { LogisticModel } from './logistic-model';
import { scoreVector } from './logistic-model';
import { MODEL_ARTIFACT_FORMAT, parseModelArtifact, serializeModel } from './model-artifact';
import { twoFeatureModel } from '../../../../tools/testing/model-server';

const MODEL = twoFeatureModel({ objective: 0.1234, tags: { epoch: '3' } });

describe(parseModelArtifact.name, () => {
  it('reads back a serialized model that scores exactly like the original', () => {
    const artifact = parseModelArtifact(serializeModel(MODEL));

    expect(artifact).toMatchObject({ ...MODEL, format: MODEL_ARTIFACT_FORMAT, formatVersion: 1 });
    expect(artifact.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(scoreVector(artifact, [4, 2])).toBe(scoreVector(MODEL, [4, 2]));
  });

  it('serializes the same model to the same bytes, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(MODEL).reverse()) as unknown as LogisticModel;

    expect(serializeModel(reordered)).toBe(serializeModel(MODEL));
    expect(parseModelArtifact(Buffer.from(serializeModel(MODEL))).checksum).toBe(
      parseModelArtifact(serializeModel(MODEL)).checksum,
    );
  });

  it('rejects an artifact whose content was changed as ARTIFACT_CHECKSUM_MISMATCH', () => {
    const tampered = serializeModel(MODEL).replace('"bias":-3.5', '"bias":-1.5');

    expect(() => parseModelArtifact(tampered)).toThrow(
      expect.objectContaining({ name: 'MlError', code: 'ARTIFACT_CHECKSUM_MISMATCH', retriable: false }),
    );
  });

  it('rejects another format or format version as UNSUPPORTED_ARTIFACT_FORMAT', () => {
    const future = serializeModel(MODEL).replace('"formatVersion":1', '"formatVersion":2');

    expect(() => parseModelArtifact(future)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_ARTIFACT_FORMAT' }),
    );
    expect(() => parseModelArtifact('{"format":"onnx"}')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_ARTIFACT_FORMAT' }),
    );
  });

  it('rejects text that is not a JSON object as INVALID_ARTIFACT', () => {
    expect(() => parseModelArtifact('not json')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARTIFACT' }),
    );
    expect(() => parseModelArtifact('[1]')).toThrow(expect.objectContaining({ code: 'INVALID_ARTIFACT' }));
  });

  it('rejects a correctly checksummed artifact whose weights do not fit its features as INVALID_ARTIFACT', () => {
    const lopsided = serializeModel({ ...MODEL, weights: [0.8] });

    expect(() => parseModelArtifact(lopsided)).toThrow(expect.objectContaining({ code: 'INVALID_ARTIFACT' }));
  });
});

describe(scoreVector.name, () => {
  it('refuses a vector of another length as FEATURE_DEFINITION_MISMATCH', () => {
    expect(() => scoreVector(MODEL, [1, 2, 3])).toThrow(
      expect.objectContaining({ code: 'FEATURE_DEFINITION_MISMATCH' }),
    );
  });
});
