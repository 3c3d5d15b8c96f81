import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HandlerRegistry } from '@gyre/pipelines';
import { ReplayRunner } from '@gyre/replay';

/** Runs replay jobs in this worker process; on SIGTERM, checkpoints them and hands them back. */
@Injectable()
export class ReplayRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReplayRuntime');

  constructor(
    private readonly runner: ReplayRunner,
    private readonly handlers: HandlerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // Feature rebuilds run the same stage handlers as this process's live stages.
    this.runner.useHandlers(this.handlers);
    this.runner.start();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const running = this.runner.running();
    await this.runner.stop();
    this.logger.log({ msg: 'replays handed back', signal, jobs: running.length });
  }
}
