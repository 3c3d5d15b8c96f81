import type { LedgerInfo } from '@gyre/pulsar-admin';

/** Tiered-storage objects of one ledger: `<uuid>-ledger-<id>` (data) and `<uuid>-ledger-<id>-index`. */
export interface LedgerObjects {
  dataBytes: number | null;
  indexBytes: number | null;
}

const LEDGER_OBJECT = /-ledger-(\d+)(-index)?$/;

/**
 * Groups a bucket listing by ledger id. The uuid prefix is chosen per offload and is not in the
 * internal stats, so objects are matched by the `-ledger-<id>` suffix: ledger ids are unique within a
 * BookKeeper cluster, hence within a bucket that one Pulsar cluster offloads to.
 */
export function objectsByLedger(
  objects: Iterable<{ key: string; size: number }>,
): Map<number, LedgerObjects> {
  const byLedger = new Map<number, LedgerObjects>();
  for (const object of objects) {
    const match = LEDGER_OBJECT.exec(object.key);
    if (!match) continue;
    const ledgerId = Number(match[1]);
    const entry = byLedger.get(ledgerId) ?? { dataBytes: null, indexBytes: null };
    // Several offload attempts may leave several uuids for one ledger: count the largest.
    if (match[2]) entry.indexBytes = Math.max(entry.indexBytes ?? 0, object.size);
    else entry.dataBytes = Math.max(entry.dataBytes ?? 0, object.size);
    byLedger.set(ledgerId, entry);
  }
  return byLedger;
}

export interface LedgerView {
  partition: number;
  ledgerId: number;
  entries: number;
  bytes: number;
  offloaded: boolean;
  /** False once BookKeeper deleted the ledger (after the offload deletion lag). */
  inBookKeeper: boolean;
  s3: LedgerObjects | null;
}

export interface TierTotals {
  ledgers: number;
  bytes: number;
}

export interface StorageReport {
  bookKeeper: TierTotals;
  offloaded: TierTotals;
  /** What the bucket holds for this stream's ledgers, and offloaded ledgers with no data object there. */
  s3: { objects: number; bytes: number; missingLedgers: number[] };
  ledgers: LedgerView[];
}

/**
 * Builds the per-stream storage report from each partition's ledgers (internal stats with BookKeeper
 * metadata) and the bucket's objects. A ledger counts in BookKeeper while BookKeeper still has it
 * (metadata present, or not offloaded), and as offloaded once Pulsar marked it so: during the deletion
 * lag it is in both.
 */
export function storageReport(
  partitions: ReadonlyArray<{ partition: number; ledgers: LedgerInfo[]; currentLedgerSize: number }>,
  objects: Map<number, LedgerObjects>,
): StorageReport {
  const ledgers: LedgerView[] = partitions.flatMap(({ partition, ledgers: infos, currentLedgerSize }) =>
    infos.map((info, index) => ({
      partition,
      ledgerId: info.ledgerId,
      entries: info.entries,
      // The open (last) ledger reports size 0 until it is closed; the managed ledger knows its size.
      bytes: index === infos.length - 1 && info.size === 0 ? currentLedgerSize : info.size,
      offloaded: info.offloaded,
      inBookKeeper: !info.offloaded || info.metadata !== undefined,
      s3: objects.get(info.ledgerId) ?? null,
    })),
  );
  const sum = (list: LedgerView[]) => ({
    ledgers: list.length,
    bytes: list.reduce((total, l) => total + l.bytes, 0),
  });
  const inS3 = ledgers.filter((ledger) => ledger.s3);
  return {
    bookKeeper: sum(ledgers.filter((ledger) => ledger.inBookKeeper)),
    offloaded: sum(ledgers.filter((ledger) => ledger.offloaded)),
    s3: {
      objects: inS3.reduce(
        (count, l) => count + (l.s3!.dataBytes !== null ? 1 : 0) + (l.s3!.indexBytes !== null ? 1 : 0),
        0,
      ),
      bytes: inS3.reduce((total, l) => total + (l.s3!.dataBytes ?? 0) + (l.s3!.indexBytes ?? 0), 0),
      missingLedgers: ledgers.filter((l) => l.offloaded && l.s3?.dataBytes == null).map((l) => l.ledgerId),
    },
    ledgers,
  };
}
