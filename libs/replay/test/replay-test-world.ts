import type { INestApplicationContext } from '@nestjs/common';
import { Client } from '@gyre/pulsar';
import { ReplayJobView, ReplayRunner, ReplayService } from '@gyre/replay';
import { StreamCatalog, StreamView } from '@gyre/streams';
import { AppProcess, killApp, startApp, testPulsarClient, uniqueName, waitFor } from '../../../tools/testing';
import { createReplayTestApp } from './replay-test-app';

/**
 * What a replay test runs against: the replay domain in a Nest app, a Pulsar client, and at most one
 * replay worker in a process of its own (for the tests that kill a worker mid-job).
 * `start()` in beforeAll, `stop()` in afterAll: it leaves no process, runner or client behind.
 */
export class ReplayTestWorld {
  app!: INestApplicationContext;
  client!: Client;
  private worker?: AppProcess;

  async start(): Promise<void> {
    this.app = await createReplayTestApp();
    this.client = testPulsarClient();
  }

  async stop(): Promise<void> {
    await killApp(this.worker);
    await this.app?.get(ReplayRunner).stop();
    await this.client?.close();
    await this.app?.close();
  }

  get replays(): ReplayService {
    return this.app.get(ReplayService);
  }

  /** A stream of its own, named `<prefix>-<unique>`. */
  createStream(
    prefix: string,
    partitions: number,
    schema: Record<string, unknown> = { type: 'object' },
  ): Promise<StreamView> {
    return this.app
      .get(StreamCatalog)
      .create({ name: uniqueName(prefix), ownerTeam: 'ml', partitions, schema }, 'it');
  }

  /** Starts a replay worker process that claims jobs like the workers app does. */
  startWorker(): AppProcess {
    this.worker = startApp('libs/replay/test/fixtures/replay-worker.ts', {});
    return this.worker;
  }

  /** Kills the worker process at once, as a crash would; resolves with how it exited. */
  async killWorker(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.worker) throw new Error('no replay worker was started');
    this.worker.child.kill('SIGKILL');
    return this.worker.exit;
  }

  /** Polls the job until `done` holds for its view. */
  waitForJob(
    jobId: string,
    done: (view: ReplayJobView) => boolean,
    options: { timeoutMs?: number; description: string },
  ): Promise<ReplayJobView> {
    return waitFor<ReplayJobView>(async () => {
      const view = await this.replays.get(jobId);
      return done(view) ? view : undefined;
    }, options);
  }
}
