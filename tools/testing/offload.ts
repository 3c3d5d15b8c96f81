import type { PulsarAdmin } from '@gyre/pulsar-admin';
import type { StreamStorage } from '@gyre/stream-operations';
import { waitFor } from './wait-for';

/** Offloads every closed ledger of `stream` to S3 and waits until each partition's offload succeeded. */
export async function offloadStream(
  storage: StreamStorage,
  stream: string,
  actor: string,
  { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  await storage.offloadNow(stream, actor);
  await waitFor(
    async () => {
      const partitions = await storage.offloadStatus(stream);
      const failed = partitions.find((partition) => partition.status === 'ERROR');
      if (failed) throw new Error(`offload of partition ${failed.partition} failed: ${failed.lastError}`);
      return partitions.every((partition) => partition.status === 'SUCCESS');
    },
    { timeoutMs, intervalMs, description: 'the offload of every partition to succeed' },
  );
}

/**
 * Waits until BookKeeper holds only each partition's open ledger: internalStats?metadata=true shows
 * BookKeeper's metadata only for the ledgers BookKeeper still holds, so the offloaded ones are gone then.
 */
export async function waitForOffloadedLedgersToLeaveBookKeeper(
  admin: PulsarAdmin,
  topic: string,
  partitions: number,
  { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  await waitFor(
    async () => {
      for (let partition = 0; partition < partitions; partition++) {
        const { ledgers } = await admin.internalStats(`${topic}-partition-${partition}`, {
          ledgerMetadata: true,
        });
        const inBookKeeper = ledgers.filter((ledger) => ledger.metadata).map((ledger) => ledger.ledgerId);
        if (inBookKeeper.join() !== String(ledgers.at(-1)?.ledgerId)) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs, description: 'the offloaded ledgers to be deleted from BookKeeper' },
  );
}
