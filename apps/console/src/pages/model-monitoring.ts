import { ApiError, path } from '../api';
import { h, fill, table } from '../dom';
import { describeError, PageContext } from '../page';
import { TimePlot } from '../plot';
import type { MonitoringReport, ThresholdCrossing } from '../types';
import { reliabilityCurves, windowModelLabel } from './reliability-curves';

/**
 * A loop's model monitoring (`GET /admin/monitoring`): the reliability curve of each model version over its
 * latest scores (the rolling window), served or in shadow (`v2 shadow`), and every threshold crossed, per
 * epoch and rolling.
 */
export class ModelMonitoringSection {
  readonly reliability = new TimePlot(
    'Reliability per model version',
    'observed rate',
    'predicted probability',
  );
  readonly element = h('section', { 'aria-labelledby': 'crossings-title' });

  constructor(
    private readonly context: PageContext,
    private readonly pipeline: string,
  ) {}

  async refresh(): Promise<void> {
    const read = (window: 'epoch' | 'rolling') =>
      this.context.session.api.get<MonitoringReport>(
        path`/admin/monitoring?pipeline=${this.pipeline}&window=${window}`,
      );
    let reports: [MonitoringReport, MonitoringReport];
    try {
      reports = await Promise.all([read('rolling'), read('epoch')]);
    } catch (error) {
      // 404: the plain API (no loop composed in), a pipeline the loop has not recorded, or a model
      // artifact or dataset missing from S3: said in the section, the rest of the page stands.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      this.reliability.element.hidden = true;
      return fill(
        this.element,
        h('h2', { id: 'crossings-title' }, 'Model monitoring'),
        h('p', { class: 'note', 'data-monitoring-absent': '' }, `No monitoring: ${describeError(error)}`),
      );
    }
    const [rolling, byEpoch] = reports;
    const curves = reliabilityCurves(rolling);
    this.reliability.element.hidden = curves.times.length === 0;
    this.reliability.update(curves);
    const crossings = [...byEpoch.models, ...rolling.models].flatMap((model) =>
      model.crossings.map((crossing) => ({
        window: model.epoch === null ? `rolling (latest ${rolling.size})` : `epoch ${model.epoch}`,
        version: windowModelLabel(model),
        crossing,
      })),
    );
    fill(
      this.element,
      h('h2', { id: 'crossings-title' }, 'Monitoring threshold crossings'),
      curves.times.length === 0 &&
        h(
          'p',
          { class: 'note' },
          'No reliability curve yet: no model version, served or in shadow, has a labelled prediction.',
        ),
      table(
        'Thresholds crossed by each model version, per epoch and over its latest predictions',
        [
          ['Window', (row) => row.window],
          ['Version', (row) => row.version],
          [
            'Measure',
            (row) =>
              h(
                'span',
                { 'data-crossing': `${row.window}:${row.version}:${row.crossing.measure}` },
                measure(row.crossing),
              ),
          ],
          ['Value', (row) => row.crossing.value.toFixed(3)],
          ['Threshold', (row) => String(row.crossing.threshold)],
        ],
        crossings,
        'No threshold crossed.',
      ),
    );
  }
}

function measure(crossing: ThresholdCrossing): string {
  return crossing.feature ? `${crossing.measure} (${crossing.feature})` : crossing.measure;
}
