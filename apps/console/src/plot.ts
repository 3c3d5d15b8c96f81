import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';

export interface TimeSeries {
  /** Seconds since the epoch; on a plot over `epochs` or `model versions`, those numbers. */
  times: number[];
  /** null: no value at that point (a gap in the line). */
  series: Array<{ label: string; values: Array<number | null> }>;
}

const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/**
 * A time-series plot (uPlot on a canvas) with a text alternative: the latest value of each series (its last point with a value), in
 * a list that screen readers and the browser tests read (each series' points in its `data-values`).
 */
export class TimePlot {
  readonly element: HTMLElement;
  private readonly canvasHost = h('div', { class: 'plot-canvas' });
  private readonly latest = h('ul', { class: 'plot-latest' });
  private plot: uPlot | undefined;
  private labels = '';
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(
    private readonly title: string,
    private readonly unit: string,
    /** `epochs` or `model versions`: the x axis counts those instead of time; or a predicted probability. */
    private readonly x: 'time' | 'epochs' | 'model versions' | 'predicted probability' = 'time',
  ) {
    this.element = h(
      'figure',
      { class: 'plot', 'data-plot': title },
      h('figcaption', {}, title),
      this.canvasHost,
      this.latest,
    );
    this.resize.observe(this.canvasHost);
  }

  update(data: TimeSeries): void {
    const labels = data.series.map((series) => series.label).join('\u0000');
    const aligned: uPlot.AlignedData = [data.times, ...data.series.map((series) => series.values)];
    if (this.plot === undefined || labels !== this.labels) {
      this.plot?.destroy();
      this.labels = labels;
      this.plot = new uPlot(this.options(data), aligned, this.canvasHost);
    } else this.plot.setData(aligned);
    // One point alone: uPlot gives a time axis a day after it (drawn as years); a second either side instead.
    if (data.times.length === 1 && this.x !== 'predicted probability')
      this.plot.setScale('x', { min: data.times[0] - 1, max: data.times[0] + 1 });
    this.element.dataset.points = String(data.times.length);
    this.latest.replaceChildren(
      ...data.series.map((series) =>
        h(
          'li',
          {
            'data-series': series.label,
            'data-values': series.values.map((value) => value ?? '-').join(' '),
          },
          `${series.label}: `,
          h('span', {}, String([...series.values].reverse().find((value) => value !== null) ?? '-')),
          ` ${this.unit}`,
        ),
      ),
    );
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private options(data: TimeSeries): uPlot.Options {
    return {
      ...this.size(),
      series: [
        {},
        ...data.series.map((series, index) => ({
          label: series.label,
          stroke: COLOURS[index % COLOURS.length],
          width: 2,
        })),
      ],
      scales: {
        x: this.x === 'predicted probability' ? { time: false, range: [0, 1] } : { time: this.x === 'time' },
      },
      axes: [this.xAxis(), { label: this.unit, size: 60 }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    };
  }

  private xAxis(): uPlot.Axis {
    if (this.x === 'time') return {};
    if (this.x === 'predicted probability') return { label: this.x, incrs: [0.1, 0.2, 0.5] };
    return { label: this.x === 'epochs' ? 'epoch' : 'model version', incrs: [1, 2, 5, 10, 20, 50] };
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(240, this.canvasHost.clientWidth || 600), height: 200 };
  }
}
