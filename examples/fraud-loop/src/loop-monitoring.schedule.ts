import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoopMonitoring } from './loop-monitoring.service';

/** How often the API looks for newly closed epochs, how far back, and how many it evaluates per look. */
export const MONITORING_CHECK_INTERVAL_MS = 15_000;
const CLOSED_EPOCH_HORIZON_SECONDS = 3_600;
const EPOCHS_PER_CHECK = 20;

/**
 * Evaluates model monitoring when an epoch closes: the API process looks for closed epochs no process
 * has evaluated yet (train closes them in the workers). Started by the application's bootstrap and
 * stopped at its shutdown, never by an import.
 */
@Injectable()
export class LoopMonitoringSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ModelMonitoring');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly monitoring: LoopMonitoring) {}

  onApplicationBootstrap(): void {
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
      .then(() => this.monitoring.evaluateClosedEpochs(CLOSED_EPOCH_HORIZON_SECONDS, EPOCHS_PER_CHECK))
      .catch((error: unknown) => {
        this.logger.warn({ msg: 'model monitoring check failed', error: String(error) });
        return [];
      });
    this.running = look;
    return look;
  }
}
