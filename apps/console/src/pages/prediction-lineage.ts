import { path } from '../api';
import { h, fill, Child } from '../dom';
import { describeError } from '../page';
import type { Session } from '../session';
import type { PredictionLineage } from '../types';

/**
 * Looks one prediction up by its event id: the model that made it (version, artifact checksum, held-out
 * AUC), its score, its label once arrived, and the features it saw, by name.
 */
export function predictionLookup(session: Session, pipeline: string): HTMLElement {
  const input = h('input', { id: 'prediction-event', required: true, autocomplete: 'off' });
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'prediction-title' },
    h('h2', { id: 'prediction-title' }, 'Lineage of a prediction'),
    h('label', { for: 'prediction-event' }, 'Event id'),
    input,
    h('button', { type: 'submit' }, 'Look up'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.api
      .get<PredictionLineage>(path`/admin/pipelines/${pipeline}/predictions/${input.value.trim()}/lineage`)
      .then((found) => fill(result, view(found)))
      .catch((error: unknown) =>
        fill(result, h('p', { role: 'alert', class: 'error' }, describeError(error))),
      );
  });
  return h('section', {}, form, result);
}

function view(lineage: PredictionLineage): HTMLElement {
  const model = lineage.modelVersion;
  return h(
    'dl',
    { class: 'facts', 'data-prediction': lineage.eventId },
    ...fact('Epoch', lineage.epoch),
    ...fact('Score', lineage.score.toFixed(3)),
    ...fact('Model', lineage.model),
    ...fact('Model checksum', model?.artifact.checksum ?? '-'),
    ...fact('Model held-out AUC', model ? model.metrics.auc.toFixed(3) : '-'),
    ...fact('Label', lineage.label === null ? 'not yet' : String(lineage.label)),
    ...fact('Features', lineage.features.definition),
    ...Object.entries(lineage.features.values).flatMap(([name, value]) =>
      fact(name, h('span', { 'data-feature': name }, String(Math.round(value * 1000) / 1000))),
    ),
  );
}

function fact(term: string, value: Child): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}
