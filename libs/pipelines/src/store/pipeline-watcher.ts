import { Logger, LoggerService } from '@nestjs/common';
import type { Pipeline } from '../definition/pipeline-definition';
import { describeFailure } from '../runtime/message-codec';

export interface PipelineSource {
  list(): Promise<Pipeline[]>;
}

export interface PipelineTarget {
  reconcile(pipelines: readonly Pipeline[]): Promise<void>;
}

/**
 * Polls the stored pipelines and hands them to the supervisor, so a changed pipeline is picked up
 * without a restart. When Postgres cannot be read, the running stages carry on as they are.
 */
export class PipelineWatcher {
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly source: PipelineSource,
    private readonly target: PipelineTarget,
    private readonly intervalMs: number,
    private readonly logger: LoggerService = new Logger('PipelineWatcher'),
  ) {}

  /** Polls now, then every intervalMs after the previous poll ended (polls never overlap). */
  start(): void {
    this.schedule(0);
  }

  /** One poll; never rejects. */
  async pollOnce(): Promise<void> {
    let pipelines: Pipeline[];
    try {
      pipelines = await this.source.list();
    } catch (error) {
      if (!this.failing)
        this.logger.warn({
          msg: 'pipelines could not be read; running stages are kept',
          reason: describeFailure(error).text,
        });
      this.failing = true;
      return;
    }
    if (this.failing) this.logger.log({ msg: 'pipelines readable again' });
    this.failing = false;
    await this.target.reconcile(pipelines);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.pollOnce().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }
}
