import type { CheckpointUpdate } from '../jobs/replay-job.store';

/**
 * One partition's checkpoint writes, made while the partition keeps reading: at most one in flight,
 * in order. A write saves its checkpoint only once every send it covers is acknowledged, so a
 * checkpoint never gets ahead of what the target holds durably, and a failed send or write surfaces
 * (rejects) at the next `begin` or `settled`.
 */
export class CheckpointWriter {
  private writing: Promise<void> | undefined;

  constructor(private readonly save: (update: CheckpointUpdate) => Promise<void>) {}

  /**
   * Waits only if the previous write is still in flight (and throws its failure), then starts this one
   * and returns without waiting for it.
   */
  async begin(update: CheckpointUpdate, sends: ReadonlyArray<Promise<unknown>>): Promise<void> {
    await this.settled();
    const write = Promise.all(sends).then(() => this.save(update));
    // Awaited by the next begin or settled; until then its failure must not count as unhandled.
    write.catch(() => undefined);
    this.writing = write;
  }

  /** Resolves once no write is in flight; rejects with the failure of the one that was, once. */
  async settled(): Promise<void> {
    const writing = this.writing;
    this.writing = undefined;
    await writing;
  }
}
