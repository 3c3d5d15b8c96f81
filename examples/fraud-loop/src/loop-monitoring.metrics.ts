import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import type { Counter, Gauge } from 'prom-client';
import type { ModelMonitoring, ThresholdCrossing } from '@gyre/ml';

type GaugeLabel = 'pipeline' | 'model_version' | 'window';

/**
 * Model monitoring's Prometheus metrics, per pipeline and model version (few series: a loop keeps a handful
 * of versions). `window` is `epoch` (the latest epoch evaluated) or `rolling`.
 */
@Injectable()
export class LoopMonitoringMetrics {
  private readonly featurePsi: Gauge<GaugeLabel>;
  private readonly predictionPsi: Gauge<GaugeLabel>;
  private readonly ece: Gauge<GaugeLabel>;
  private readonly liveAuc: Gauge<GaugeLabel>;
  private readonly crossings: Counter<'pipeline' | 'model_version' | 'measure'>;

  constructor(registry: MetricsRegistry) {
    const labelNames = ['pipeline', 'model_version', 'window'] as const;
    this.featurePsi = registry.gauge({
      name: 'gyre_model_feature_psi_max',
      help: "Largest population stability index of a serving model's features against its training rows.",
      labelNames,
    });
    this.predictionPsi = registry.gauge({
      name: 'gyre_model_prediction_psi',
      help: "Population stability index of a serving model's scores against its scores on its training rows.",
      labelNames,
    });
    this.ece = registry.gauge({
      name: 'gyre_model_ece',
      help: "Expected calibration error of a serving model's labelled predictions (ten bins).",
      labelNames,
    });
    this.liveAuc = registry.gauge({
      name: 'gyre_model_live_auc',
      help: "AUC of a serving model's predictions whose labels have arrived.",
      labelNames,
    });
    this.crossings = registry.counter({
      name: 'gyre_model_threshold_crossings_total',
      help: 'Monitoring thresholds crossed by a serving model, by measure (each crossing counted once).',
      labelNames: ['pipeline', 'model_version', 'measure'],
    });
  }

  observe(
    pipeline: string,
    modelVersion: number,
    window: 'epoch' | 'rolling',
    monitoring: ModelMonitoring,
  ): void {
    const labels = { pipeline, model_version: String(modelVersion), window };
    const set = (gauge: Gauge<GaugeLabel>, value: number | null | undefined) => {
      if (value != null) gauge.set(labels, value);
    };
    set(this.featurePsi, monitoring.featurePsiMax);
    set(this.predictionPsi, monitoring.predictionPsi);
    set(this.ece, monitoring.calibration?.ece);
    set(this.liveAuc, monitoring.live?.auc);
  }

  crossed(pipeline: string, modelVersion: number, crossing: ThresholdCrossing): void {
    this.crossings.inc({ pipeline, model_version: String(modelVersion), measure: crossing.measure });
  }
}
