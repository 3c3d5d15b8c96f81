import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoopMonitoring } from './loop-monitoring.service';

/**
 * How often the API looks for closed epochs not yet evaluated, and how many it evaluates per look (each
 * reads its windows and, once per model version, its training rows): a backlog left by an API that was down
 * is worked off a bounded batch per look, oldest first.
 */
export const MONITORING_CHECK_INTERVAL_MS = 15_000;
export const EPOCHS_PER_CHECK = 20;

/**
 * Evaluates model monitoring when an epoch closes: the API process looks for closed epochs no process
 * has evaluated yet (train closes them in the workers). At bootstrap it first shows the stored latest
 * figures in the gauges (retried before each look until it succeeds). Started by the application's
 * bootstrap and stopped at its shutdown, never by an import.
 */
@Injectable()
export class LoopMonitoringSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ModelMonitoring');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private figuresShown = false;

  constructor(private readonly monitoring: LoopMonitoring) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.showStoredFigures();
    this.timer = setInterval(() => void this.check(), MONITORING_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops looking (a test drives `check` itself); an evaluation under way is awaited. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look (never two at once in a process): the epochs it claimed and evaluated. */
  check(): Promise<{ pipeline: string; epoch: number }[]> {
    const look = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        // Before any evaluation of this look: a newer figure is then never replaced by a stored older one.
        if (!this.figuresShown) await this.showStoredFigures();
        return this.monitoring.evaluateClosedEpochs(EPOCHS_PER_CHECK);
      })
      .catch((error: unknown) => {
        this.logger.warn({ msg: 'model monitoring check failed', error: String(error) });
        return [];
      });
    this.running = look;
    return look;
  }

  /** Fills the gauges from the stored figures; a failure (Postgres down at boot) is logged and retried. */
  private async showStoredFigures(): Promise<void> {
    try {
      const windows = await this.monitoring.showStoredFigures();
      this.figuresShown = true;
      this.logger.log({ msg: 'model monitoring gauges filled from stored figures', windows });
    } catch (error) {
      this.logger.warn({
        msg: 'model monitoring gauges not filled; retried at the next look',
        error: String(error),
      });
    }
  }
}
