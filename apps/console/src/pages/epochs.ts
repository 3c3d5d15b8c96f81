import { ApiError, path } from '../api';
import { h, fill, table, Child } from '../dom';
import { artifactDownload } from '../download';
import { formatDuration } from '../format';
import { describeError, PageContext } from '../page';
import { TimePlot } from '../plot';
import type { EpochSummary, EpochLineage, ModelVersionView } from '../types';
import { calibrationByVersion } from './model-calibration';
import { ModelMonitoringSection } from './model-monitoring';
import { ModelRolesSection } from './model-roles';
import { predictionLookup } from './prediction-lineage';

/**
 * A feedback loop's epochs (`#/epochs/<pipeline>[/<epoch>]`): curves of the serving model's live AUC, log loss
 * and calibration per epoch and calibration per model version, each version's reliability curve, the rows with
 * their datasets and model artifacts, the versions' roles with promote and rollback, monitoring threshold
 * crossings, one epoch's lineage, and a prediction's lineage looked up by event id.
 * The routes belong to the fraud-loop example: the plain API answers 404, and the page says so.
 */
export function epochsPage(context: PageContext): void {
  const { session, main, params, every } = context;
  const [pipeline, epoch] = params;
  if (!session.isAdmin) {
    fill(main, h('h1', {}, 'Epochs'), h('p', { class: 'note' }, 'Epochs are shown to admin keys only.'));
    return;
  }
  const input = h('input', {
    id: 'epochs-pipeline',
    name: 'pipeline',
    required: true,
    autocomplete: 'off',
    value: pipeline ?? '',
  });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'epochs-form-title' },
    h('h2', { id: 'epochs-form-title' }, 'Choose a feedback loop'),
    h('label', { for: 'epochs-pipeline' }, 'Pipeline'),
    input,
    h('button', { type: 'submit' }, 'Show epochs'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/epochs/${encodeURIComponent(input.value.trim())}`;
  });
  if (pipeline === undefined) return fill(main, h('h1', {}, 'Epochs and models'), form);

  // Live: the serving model on the epoch's labelled events; held-out: the model the epoch trained.
  const quality = new TimePlot('Live AUC per epoch', 'AUC', 'epochs');
  const loss = new TimePlot('Live log loss per epoch', 'log loss', 'epochs');
  const calibration = new TimePlot('Calibration per epoch', 'error', 'epochs');
  const perVersion = new TimePlot('Calibration per model version', 'error', 'model versions');
  const monitoring = new ModelMonitoringSection(context, pipeline);
  const roles = new ModelRolesSection(context, pipeline);
  const rows = h('div');
  const lineage = h('section', { 'aria-labelledby': 'lineage-title' });
  const absent = h('p', { class: 'note', hidden: true });
  fill(
    main,
    h('h1', {}, 'Epochs of ', h('span', { class: 'name' }, pipeline)),
    form,
    absent,
    h(
      'div',
      { class: 'plots' },
      quality.element,
      loss.element,
      calibration.element,
      perVersion.element,
      monitoring.reliability.element,
    ),
    rows,
    roles.element,
    monitoring.element,
    lineage,
    predictionLookup(session, pipeline),
  );

  every(5000, async () => {
    let epochs: EpochSummary[];
    try {
      epochs = await session.api.get<EpochSummary[]>(path`/admin/epochs?pipeline=${pipeline}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      absent.hidden = false;
      return fill(
        absent,
        'The running API has no feedback loop composed in (GET /admin/epochs answered 404): ',
        'epochs and model versions are the fraud-loop example’s, served when the API is started by its entry point (npm start).',
      );
    }
    const times = epochs.map((row) => row.epoch);
    quality.update({
      times,
      series: [
        { label: 'live AUC', values: epochs.map((row) => round(row.live?.auc)) },
        { label: 'held-out AUC (trained)', values: epochs.map((row) => round(row.trained?.metrics.auc)) },
      ],
    });
    loss.update({
      times,
      series: [{ label: 'live log loss', values: epochs.map((row) => round(row.live?.logLoss)) }],
    });
    calibration.update({
      times,
      series: [
        { label: 'live ECE', values: epochs.map((row) => round(row.live?.ece)) },
        { label: 'live Brier', values: epochs.map((row) => round(row.live?.brier)) },
      ],
    });
    perVersion.update(calibrationByVersion(epochs));
    fill(rows, epochTable(context, pipeline, epochs));
  });
  every(5000, () => roles.refresh());
  every(5000, () => monitoring.refresh());

  if (epoch !== undefined)
    void session.api
      .get<EpochLineage>(path`/admin/epochs/${epoch}/lineage?pipeline=${pipeline}`)
      .then((found) => fill(lineage, ...lineageView(found)))
      .catch((error: unknown) =>
        fill(lineage, h('p', { role: 'alert', class: 'error' }, describeError(error))),
      );
}

function epochTable(context: PageContext, pipeline: string, epochs: EpochSummary[]): HTMLElement {
  return table(
    'Epochs with their models, metrics, datasets and artifacts',
    [
      [
        'Epoch',
        (row) => h('a', { href: `#/epochs/${encodeURIComponent(pipeline)}/${row.epoch}` }, String(row.epoch)),
      ],
      ['State', (row) => row.state],
      ['Served by', (row) => version(row.servedBy)],
      ['Live AUC', (row) => h('span', { 'data-live-auc': row.epoch }, figure(row.live?.auc))],
      ['Live log loss', (row) => figure(row.live?.logLoss)],
      ['Live ECE', (row) => figure(row.live?.ece)],
      ['Trained', (row) => version(row.trained, '-')],
      ['Held-out AUC', (row) => figure(row.trained?.metrics.auc)],
      ['Dataset rows', (row) => row.dataset?.rowCount ?? '-'],
      ['Training time', (row) => formatDuration(row.trainingSeconds)],
      [
        'Dataset / model (S3)',
        (row) =>
          h(
            'div',
            { class: 'uris' },
            ...row.datasetUris.flatMap((uri) => [
              h('code', { 'data-dataset': row.epoch }, uri),
              artifactDownload(context, uri, `the dataset of epoch ${row.epoch}`),
            ]),
            row.modelUri && h('code', { 'data-model': row.epoch }, row.modelUri),
            row.modelUri &&
              artifactDownload(context, row.modelUri, `the model trained in epoch ${row.epoch}`),
          ),
      ],
    ],
    epochs,
    'No epoch recorded for this pipeline.',
  );
}

function lineageView(lineage: EpochLineage): Child[] {
  return [
    h('h2', { id: 'lineage-title' }, `Lineage of epoch ${lineage.epoch}`),
    h(
      'dl',
      { class: 'facts', 'data-lineage': lineage.epoch },
      ...fact('State', lineage.state),
      ...fact('Events prepared', lineage.events),
      ...fact('Examples', lineage.examples),
      ...fact('Served by', version(lineage.servedBy)),
      ...fact('Live AUC', figure(lineage.live?.auc)),
      ...fact('Trained', version(lineage.trained, 'not yet')),
      ...fact('Dataset checksum', lineage.dataset?.checksum ?? '-'),
      ...fact('Model checksum', lineage.trained?.artifact.checksum ?? '-'),
    ),
  ];
}

function fact(term: string, value: Child): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

/** A null serving model is the prior; a null trained one is not trained yet. */
function version(model: ModelVersionView | null, none = 'prior'): string {
  return model ? `v${model.version}` : none;
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 1000) / 1000;
}

function figure(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(3);
}
