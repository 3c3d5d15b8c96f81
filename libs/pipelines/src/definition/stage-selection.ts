import type { Pipeline } from './pipeline-definition';

/**
 * The part of the stored pipelines a workers process runs (WORKERS_STAGES): `pipeline/stage` or
 * `pipeline/*`; no selectors means every stage. Pipelines left with no stage are dropped, so the
 * process neither runs nor reports them.
 */
export function selectStages(pipelines: readonly Pipeline[], selectors: readonly string[]): Pipeline[] {
  if (selectors.length === 0) return [...pipelines];
  const wanted = new Set(selectors);
  const chosen: Pipeline[] = [];
  for (const pipeline of pipelines) {
    const everyStage = wanted.has(`${pipeline.name}/*`);
    const stages = pipeline.definition.stages.filter(
      (stage) => everyStage || wanted.has(`${pipeline.name}/${stage.name}`),
    );
    if (stages.length > 0) chosen.push({ ...pipeline, definition: { ...pipeline.definition, stages } });
  }
  return chosen;
}
