import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ReplayRunner } from '@gyre/replay';

/** Runs replay jobs in this worker process; on SIGTERM, checkpoints them and hands them back. */
@Injectable()
export class ReplayRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReplayRuntime');

  constructor(private readonly runner: ReplayRunner) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const running = this.runner.running();
    await this.runner.stop();
    this.logger.log({ msg: 'replays handed back', signal, jobs: running.length });
  }
}
