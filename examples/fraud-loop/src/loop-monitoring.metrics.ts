import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import type { Counter, Gauge } from 'prom-client';
import type { ThresholdCrossing } from '@gyre/ml';
import type { MonitoringFigures, MonitoringRole } from './loop-monitoring.store';

type GaugeLabel = 'pipeline' | 'model_version' | 'window' | 'role';

/**
 * Model monitoring's Prometheus metrics, per pipeline, model version and role (few series: a loop keeps a
 * handful of versions, and `role` is `served` or `shadow`, the challenger's scores beside the served ones).
 * `window` is `epoch` (the latest epoch evaluated) or `rolling`. `role` is the last label, so a selector
 * written before it existed still matches the served series. The figures are also stored
 * (gyre_loop_monitoring_figures), and a starting process shows them (LoopMonitoring.showStoredFigures).
 */
@Injectable()
export class LoopMonitoringMetrics {
  private readonly featurePsi: Gauge<GaugeLabel>;
  private readonly predictionPsi: Gauge<GaugeLabel>;
  private readonly ece: Gauge<GaugeLabel>;
  private readonly liveAuc: Gauge<GaugeLabel>;
  private readonly crossings: Counter<'pipeline' | 'model_version' | 'measure' | 'role'>;

  constructor(registry: MetricsRegistry) {
    const labelNames = ['pipeline', 'model_version', 'window', 'role'] as const;
    this.featurePsi = registry.gauge({
      name: 'gyre_model_feature_psi_max',
      help: "Largest population stability index of a model's features (served or shadow) against its training rows.",
      labelNames,
    });
    this.predictionPsi = registry.gauge({
      name: 'gyre_model_prediction_psi',
      help: "Population stability index of a model's scores (served or shadow) against its scores on its training rows.",
      labelNames,
    });
    this.ece = registry.gauge({
      name: 'gyre_model_ece',
      help: "Expected calibration error of a model's labelled scores, served or shadow (ten bins).",
      labelNames,
    });
    this.liveAuc = registry.gauge({
      name: 'gyre_model_live_auc',
      help: "AUC of a model's scores, served or shadow, whose labels have arrived.",
      labelNames,
    });
    this.crossings = registry.counter({
      name: 'gyre_model_threshold_crossings_total',
      help: 'Monitoring thresholds crossed by a model, served or shadow, by measure (each crossing counted once).',
      labelNames: ['pipeline', 'model_version', 'measure', 'role'],
    });
  }

  /** Shows a window's latest figures; a figure the window lacks (null) has no series. */
  show(figures: MonitoringFigures): void {
    const labels = {
      pipeline: figures.pipeline,
      model_version: String(figures.modelVersion),
      window: figures.window,
      role: figures.role,
    };
    const set = (gauge: Gauge<GaugeLabel>, value: number | null) => {
      if (value === null) gauge.remove(labels);
      else gauge.set(labels, value);
    };
    set(this.featurePsi, figures.featurePsiMax);
    set(this.predictionPsi, figures.predictionPsi);
    set(this.ece, figures.ece);
    set(this.liveAuc, figures.liveAuc);
  }

  crossed(pipeline: string, modelVersion: number, role: MonitoringRole, crossing: ThresholdCrossing): void {
    this.crossings.inc({ pipeline, model_version: String(modelVersion), measure: crossing.measure, role });
  }
}
