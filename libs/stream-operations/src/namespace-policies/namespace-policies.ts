import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { adminCall } from '../operations/pulsar-call';
import { StreamTopics } from '../operations/stream-topics';
import { StreamNamespace } from '@gyre/streams';

/** The streams namespace's policies an operator may read and change. */
export interface NamespacePolicies {
  namespace: string;
  retention: { minutes: number; sizeMb: number } | null;
  offloadThresholdBytes: number | null;
  offloadDeletionLagMs: number | null;
  deduplication: boolean | null;
}

export type NamespacePolicyChanges = Partial<Omit<NamespacePolicies, 'namespace' | 'retention'>> & {
  retention?: { minutes: number; sizeMb: number };
};

/**
 * Reads and updates the streams namespace's policies. Note: every Gyre process provisions the namespace
 * at start-up with the configured values, so a change made here lasts until the next start unless the
 * configuration (TIER_*) is changed too.
 */
@Injectable()
export class NamespacePolicyService {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly namespace: StreamNamespace,
    private readonly topics: StreamTopics,
  ) {}

  async read(): Promise<NamespacePolicies> {
    const [tenant, namespace] = this.namespace.name.split('/');
    const [retention, threshold, lag, deduplication] = await Promise.all([
      adminCall(() => this.admin.getRetention(tenant, namespace)),
      adminCall(() => this.admin.getOffloadThreshold(tenant, namespace)),
      adminCall(() => this.admin.getOffloadDeletionLag(tenant, namespace)),
      adminCall(() => this.admin.getDeduplication(tenant, namespace)),
    ]);
    return {
      namespace: this.namespace.name,
      retention: retention
        ? { minutes: retention.retentionTimeInMinutes, sizeMb: retention.retentionSizeInMB }
        : null,
      offloadThresholdBytes: threshold ?? null,
      offloadDeletionLagMs: lag ?? null,
      deduplication: deduplication ?? null,
    };
  }

  async update(changes: NamespacePolicyChanges, actor: string): Promise<NamespacePolicies> {
    const [tenant, namespace] = this.namespace.name.split('/');
    const before = await this.read();
    if (changes.retention)
      await adminCall(() =>
        this.admin.setRetention(tenant, namespace, {
          retentionTimeInMinutes: changes.retention!.minutes,
          retentionSizeInMB: changes.retention!.sizeMb,
        }),
      );
    if (changes.offloadThresholdBytes != null)
      await adminCall(() =>
        this.admin.setOffloadThreshold(tenant, namespace, changes.offloadThresholdBytes!),
      );
    if (changes.offloadDeletionLagMs != null)
      await adminCall(() =>
        this.admin.setOffloadDeletionLag(tenant, namespace, changes.offloadDeletionLagMs!),
      );
    if (changes.deduplication != null)
      await adminCall(() => this.admin.setDeduplication(tenant, namespace, changes.deduplication!));
    const after = await this.read();
    await this.topics.audit(
      actor,
      'namespace.policies.update',
      `namespace/${this.namespace.name}`,
      before,
      after,
    );
    return after;
  }
}
