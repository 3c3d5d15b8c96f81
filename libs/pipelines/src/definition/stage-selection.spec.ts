import type { Pipeline, StageDefinition } from './pipeline-definition';
import { selectStages } from './stage-selection';

function pipeline(name: string, stageNames: string[]): Pipeline {
  const stages = stageNames.map((stage) => ({ name: stage }) as StageDefinition);
  return { name, version: 1, definition: { stages }, updatedAt: new Date(0) };
}

const stored = [pipeline('fraud', ['prepare', 'infer', 'train']), pipeline('churn', ['score'])];
const names = (pipelines: Pipeline[]) =>
  pipelines.map((p) => `${p.name}: ${p.definition.stages.map((s) => s.name).join(',')}`);

describe(selectStages.name, () => {
  it('runs every stage when no stage is selected', () => {
    expect(names(selectStages(stored, []))).toEqual(['fraud: prepare,infer,train', 'churn: score']);
  });

  it('keeps only the named stages and drops pipelines left empty', () => {
    expect(names(selectStages(stored, ['fraud/infer']))).toEqual(['fraud: infer']);
  });

  it('takes every stage of a pipeline named with a star, next to single stages of others', () => {
    expect(names(selectStages(stored, ['churn/*', 'fraud/train']))).toEqual(['fraud: train', 'churn: score']);
  });

  it('selects nothing for a stage that is not stored, and leaves the stored pipelines as they were', () => {
    expect(selectStages(stored, ['fraud/missing'])).toEqual([]);
    expect(stored[0].definition.stages).toHaveLength(3);
  });
});
