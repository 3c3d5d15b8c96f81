import { Injectable, Logger } from '@nestjs/common';
import { judgedMeasures, monitorModel, parseModelArtifact, scoreVector, thresholdCrossings } from '@gyre/ml';
import type {
  ModelArtifact,
  ModelMonitoring,
  MonitoringReference,
  MonitoringThresholds,
  ThresholdCrossing,
} from '@gyre/ml';
import { ParquetDatasetStore, S3Storage } from '@gyre/storage';
import { DataSource } from 'typeorm';
import { LoopMonitoringMetrics } from './loop-monitoring.metrics';
import { LoopMonitoringStore, MonitoringFigures, MonitoringRole, WindowQuery } from './loop-monitoring.store';
import { groupByWindow, MonitoringWindowKind, timeRange, windowKey } from './loop-monitoring.windows';

export type { MonitoringWindowKind } from './loop-monitoring.windows';

/** A model version's scores in one role over one window: its monitoring figures and the thresholds they cross. */
export interface WindowMonitoring extends ModelMonitoring {
  readonly modelVersion: number;
  /** `served`: the version's scores were the predictions; `shadow`: the challenger's scores beside them. */
  readonly role: MonitoringRole;
  /** The epoch of an epoch window; null for a rolling one. */
  readonly epoch: number | null;
  /** Event time of the window's first and last prediction (ms since the epoch). */
  readonly eventTime: { readonly from: number; readonly to: number } | null;
  readonly crossings: ThresholdCrossing[];
}

export interface MonitoringReport {
  readonly pipeline: string;
  readonly window: MonitoringWindowKind;
  /** The rolling window's size: the latest scores of each (role, model version) (null for epoch windows). */
  readonly size: number | null;
  readonly thresholds: MonitoringThresholds;
  readonly models: WindowMonitoring[];
}

export interface MonitoringQuery {
  readonly window: MonitoringWindowKind;
  readonly epoch?: number;
  readonly version?: number;
  /** Only this role's windows; both without it. */
  readonly role?: MonitoringRole;
  readonly size?: number;
}

export const DEFAULT_ROLLING_WINDOW = 500;
/** Model references (training rows and scores) kept in memory: immutable, so cached by pipeline and version. */
const REFERENCE_CACHE_SIZE = 32;

/**
 * Model monitoring of the fraud loop: feature drift, prediction drift, calibration and live performance over
 * epoch and rolling windows of each model version that served predictions, and of each challenger that scored
 * them in shadow, against the rows that version was trained on (read back from its dataset in S3). `report`
 * reads; `evaluate` also sets the gauges and reports new threshold crossings (metric, structured log line,
 * audit entry), each marked with its role.
 */
@Injectable()
export class LoopMonitoring {
  private readonly logger = new Logger('ModelMonitoring');
  private readonly store: LoopMonitoringStore;
  private readonly datasets: ParquetDatasetStore;
  private readonly references = new Map<string, Promise<Reference | undefined>>();

  constructor(
    dataSource: DataSource,
    private readonly storage: S3Storage,
    private readonly metrics: LoopMonitoringMetrics,
  ) {
    this.store = new LoopMonitoringStore(dataSource);
    this.datasets = new ParquetDatasetStore(storage);
  }

  /** undefined for a pipeline the loop has not recorded. */
  async report(pipeline: string, query: MonitoringQuery): Promise<MonitoringReport | undefined> {
    if (!(await this.store.knows(pipeline))) return undefined;
    const thresholds = await this.store.thresholds(pipeline);
    const size = query.window === 'rolling' ? (query.size ?? DEFAULT_ROLLING_WINDOW) : null;
    const window: WindowQuery =
      size === null ? { kind: 'epoch', epoch: query.epoch } : { kind: 'rolling', size };
    const groups = groupByWindow(await this.store.predictions(pipeline, window), query.window);
    const models: WindowMonitoring[] = [];
    for (const group of groups) {
      if (query.version !== undefined && group.modelVersion !== query.version) continue;
      if (query.role !== undefined && group.role !== query.role) continue;
      const reference = await this.reference(pipeline, group.modelVersion);
      const monitoring = monitorModel(
        reference?.features ?? featureNames(group.rows[0].values.length),
        reference ?? NO_REFERENCE,
        {
          rows: group.rows.map((row) => row.values),
          scores: group.rows.map((row) => row.score),
          labels: group.rows.map((row) => row.label),
        },
      );
      models.push({
        modelVersion: group.modelVersion,
        role: group.role,
        epoch: group.epoch,
        eventTime: timeRange(group.rows),
        ...monitoring,
        crossings: thresholdCrossings(monitoring, thresholds),
      });
    }
    return { pipeline, window: query.window, size, thresholds, models };
  }

  /**
   * Evaluates the epoch windows (of `epoch`, or every epoch) and the rolling window: sets the gauges, and
   * reports each threshold crossing that is new. undefined for a pipeline the loop has not recorded.
   */
  async evaluate(
    pipeline: string,
    epoch?: number,
  ): Promise<{ epoch: MonitoringReport; rolling: MonitoringReport; crossed: CrossingReport[] } | undefined> {
    const byEpoch = await this.report(pipeline, { window: 'epoch', epoch });
    const rolling = await this.report(pipeline, { window: 'rolling' });
    if (!byEpoch || !rolling) return undefined;
    const crossed: CrossingReport[] = [];
    for (const report of [byEpoch, rolling])
      for (const model of report.models) {
        const figures = figuresOf(pipeline, report.window, model);
        if (await this.store.recordFigures(figures)) this.metrics.show(figures);
        const window = windowKey(model.epoch);
        const fresh = await this.store.recordAlertStates(
          pipeline,
          window,
          model.modelVersion,
          model.role,
          model.crossings,
          judgedMeasures(model, report.thresholds),
        );
        for (const crossing of fresh) {
          this.metrics.crossed(pipeline, model.modelVersion, model.role, crossing);
          const entry: CrossingReport = {
            modelVersion: model.modelVersion,
            role: model.role,
            window,
            ...crossing,
          };
          this.logger.warn({ msg: 'model monitoring threshold crossed', pipeline, ...entry });
          crossed.push(entry);
        }
      }
    return { epoch: byEpoch, rolling, crossed };
  }

  thresholds(pipeline: string): Promise<MonitoringThresholds> {
    return this.store.thresholds(pipeline);
  }

  updateThresholds(
    pipeline: string,
    change: (current: MonitoringThresholds) => MonitoringThresholds,
    actor: string,
  ): Promise<MonitoringThresholds> {
    return this.store.updateThresholds(pipeline, change, actor);
  }

  knows(pipeline: string): Promise<boolean> {
    return this.store.knows(pipeline);
  }

  /**
   * Shows the stored latest figures in the gauges, as a starting process must (its gauges are empty);
   * returns how many windows it showed.
   */
  async showStoredFigures(): Promise<number> {
    const stored = await this.store.latestFigures();
    for (const figures of stored) this.metrics.show(figures);
    return stored.length;
  }

  /**
   * Claims at most `limit` closed epochs no process has evaluated, whatever their age, and evaluates each
   * (see LoopMonitoringSchedule).
   */
  async evaluateClosedEpochs(limit: number): Promise<{ pipeline: string; epoch: number }[]> {
    const claimed = await this.store.claimClosedEpochs(limit);
    for (const { pipeline, epoch } of claimed) {
      try {
        await this.evaluate(pipeline, epoch);
      } catch (error) {
        // One pipeline's unreadable dataset must not stop the others' monitoring; the claim stays taken.
        this.logger.warn({
          msg: 'model monitoring of a closed epoch failed',
          pipeline,
          epoch,
          error: String(error),
        });
      }
    }
    return claimed;
  }

  private reference(pipeline: string, version: number): Promise<Reference | undefined> {
    const key = `${pipeline}\u0000${version}`;
    let reference = this.references.get(key);
    if (!reference) {
      reference = this.loadReference(pipeline, version);
      // A failed load is not kept: the next evaluation tries again.
      reference.catch(() => this.references.delete(key));
      if (this.references.size >= REFERENCE_CACHE_SIZE)
        this.references.delete(this.references.keys().next().value!);
      this.references.set(key, reference);
    }
    return reference;
  }

  /** The version's training rows (its dataset's rows outside the held-out split) and its scores on them. */
  private async loadReference(pipeline: string, version: number): Promise<Reference | undefined> {
    const source = await this.store.modelReference(pipeline, version);
    if (!source) return undefined;
    const model: ModelArtifact = parseModelArtifact(
      await this.storage.getObject(source.artifact.bucket, source.artifact.key),
    );
    const features = model.featureDefinition.features;
    const rows = (await this.datasets.read(source.dataset))
      .filter((row) => row.held_out === false)
      .map((row) => features.map((name) => Number(row[name])));
    return { features, rows, scores: rows.map((values) => scoreVector(model, values)) };
  }
}

/** A new crossing, as evaluate returns it. */
export interface CrossingReport extends ThresholdCrossing {
  readonly modelVersion: number;
  readonly role: MonitoringRole;
  readonly window: string;
}

interface Reference extends MonitoringReference {
  readonly features: readonly string[];
}

const NO_REFERENCE: MonitoringReference = { rows: [], scores: [] };

function figuresOf(
  pipeline: string,
  window: MonitoringWindowKind,
  model: WindowMonitoring,
): MonitoringFigures {
  return {
    pipeline,
    modelVersion: model.modelVersion,
    role: model.role,
    window,
    epoch: model.epoch,
    featurePsiMax: model.featurePsiMax,
    predictionPsi: model.predictionPsi,
    ece: model.calibration?.ece ?? null,
    liveAuc: model.live?.auc ?? null,
  };
}

/** Positional names for a model without a reference (its version is not recorded): no drift is computed. */
function featureNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `feature_${i}`);
}
