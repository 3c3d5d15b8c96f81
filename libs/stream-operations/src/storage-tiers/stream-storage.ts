import { Injectable } from '@nestjs/common';
import { OffloadStatus, PulsarAdmin, RetentionPolicy } from '@gyre/pulsar-admin';
import { S3Storage, StorageError } from '@gyre/storage';
import { StreamsError } from '@gyre/streams';
import { adminCall } from '../operations/pulsar-call';
import { partitionTopic, StreamTopics } from '../operations/stream-topics';
import { objectsByLedger, StorageReport, storageReport } from './ledger-objects';

/** A stream's own storage policies; null fields follow the namespace. */
export interface StreamStoragePolicies {
  retention: { minutes: number; sizeMb: number } | null;
  offloadThresholdBytes: number | null;
  offloadDeletionLagMs: number | null;
}

export interface OffloadProgress {
  partition: number;
  status: OffloadStatus['status'];
  lastError: string | null;
}

// Non-secret fields copied from the applied policies: the broker refuses topic policies without a
// driver and bucket, and credentials left unset fall back to the broker's configuration.
const LOCATION_FIELDS = [
  'managedLedgerOffloadDriver',
  's3ManagedLedgerOffloadBucket',
  's3ManagedLedgerOffloadRegion',
  's3ManagedLedgerOffloadServiceEndpoint',
] as const;

/** Where a stream's events are (BookKeeper or S3), offloading them now, and its storage policies. */
@Injectable()
export class StreamStorage {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly storage: S3Storage,
    private readonly topics: StreamTopics,
  ) {}

  async report(stream: string): Promise<StorageReport & { stream: string; bucket: string }> {
    const { topic, partitions } = await this.topics.resolve(stream);
    const stats = await Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const internal = await adminCall(() =>
          this.admin.internalStats(partitionTopic(topic, partition), { ledgerMetadata: true }),
        );
        return {
          partition,
          ledgers: internal.ledgers ?? [],
          currentLedgerSize: internal.currentLedgerSize ?? 0,
        };
      }),
    );
    const bucket = this.storage.buckets.tiered;
    const objects: Array<{ key: string; size: number }> = [];
    try {
      for await (const object of this.storage.listObjects(bucket)) objects.push(object);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      throw new StreamsError(
        'TIERED_STORAGE_UNAVAILABLE',
        `could not list the tiered bucket: ${error.message}`,
        {
          retriable: error.retriable,
          cause: error,
          retryAfterSeconds: 5,
        },
      );
    }
    return { stream, bucket, ...storageReport(stats, objectsByLedger(objects)) };
  }

  /** Offloads every closed ledger of every partition now (the open ledger never moves). */
  async offloadNow(stream: string, actor: string): Promise<OffloadProgress[]> {
    const { topic, partitions } = await this.topics.resolve(stream);
    const started = await Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const name = partitionTopic(topic, partition);
        const last = await adminCall(() => this.admin.lastMessageId(name));
        const refused = await adminCall(
          () => this.admin.triggerOffload(name, last),
          (error) =>
            error.code === 'conflict'
              ? new StreamsError(
                  'OFFLOAD_IN_PROGRESS',
                  `an offload of partition ${partition} is already running`,
                )
              : undefined,
        ).then(
          () => undefined,
          (error: unknown) => {
            if (error instanceof StreamsError && error.code === 'OFFLOAD_IN_PROGRESS') return error;
            throw error;
          },
        );
        return { partition, refused };
      }),
    );
    if (started.every(({ refused }) => refused)) throw started[0].refused!;
    await this.topics.audit(actor, 'stream.offload', `stream/${stream}`, null, {
      partitions: started.map(({ partition, refused }) => ({ partition, started: !refused })),
    });
    return this.offloadStatus(stream);
  }

  async offloadStatus(stream: string): Promise<OffloadProgress[]> {
    const { topic, partitions } = await this.topics.resolve(stream);
    return Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const status = await adminCall(() => this.admin.offloadStatus(partitionTopic(topic, partition)));
        return { partition, status: status.status, lastError: status.lastError || null };
      }),
    );
  }

  async policies(stream: string): Promise<StreamStoragePolicies> {
    const { topic } = await this.topics.resolve(stream);
    return this.readPolicies(topic);
  }

  /** Sets the stream's own policies; a field given as null goes back to the namespace's. */
  async updatePolicies(
    stream: string,
    changes: Partial<StreamStoragePolicies>,
    actor: string,
  ): Promise<StreamStoragePolicies> {
    const { topic } = await this.topics.resolve(stream);
    const before = await this.readPolicies(topic);
    const after = { ...before, ...changes };
    if ('retention' in changes) {
      const retention = changes.retention;
      await adminCall(() =>
        retention
          ? this.admin.setTopicRetention(topic, toRetention(retention))
          : this.admin.removeTopicRetention(topic),
      );
    }
    if ('offloadThresholdBytes' in changes || 'offloadDeletionLagMs' in changes) {
      if (after.offloadThresholdBytes === null && after.offloadDeletionLagMs === null)
        await adminCall(() => this.admin.removeTopicOffloadPolicies(topic));
      else {
        const applied = (await adminCall(() => this.admin.getAppliedOffloadPolicies(topic))) ?? {};
        const location = Object.fromEntries(LOCATION_FIELDS.map((field) => [field, applied[field]]));
        await adminCall(() =>
          this.admin.setTopicOffloadPolicies(topic, {
            ...location,
            managedLedgerOffloadThresholdInBytes: after.offloadThresholdBytes ?? undefined,
            managedLedgerOffloadDeletionLagInMillis: after.offloadDeletionLagMs ?? undefined,
          }),
        );
      }
    }
    await this.topics.audit(actor, 'stream.storage-policies.update', `stream/${stream}`, before, after);
    return after;
  }

  private async readPolicies(topic: string): Promise<StreamStoragePolicies> {
    const [retention, offload] = await Promise.all([
      adminCall(() => this.admin.getTopicRetention(topic)),
      adminCall(() => this.admin.getTopicOffloadPolicies(topic)),
    ]);
    return {
      retention: retention
        ? { minutes: retention.retentionTimeInMinutes, sizeMb: retention.retentionSizeInMB }
        : null,
      offloadThresholdBytes: offload?.managedLedgerOffloadThresholdInBytes ?? null,
      offloadDeletionLagMs: offload?.managedLedgerOffloadDeletionLagInMillis ?? null,
    };
  }
}

function toRetention(retention: { minutes: number; sizeMb: number }): RetentionPolicy {
  return { retentionTimeInMinutes: retention.minutes, retentionSizeInMB: retention.sizeMb };
}
