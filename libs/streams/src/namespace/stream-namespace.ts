import { PulsarAdmin } from '@gyre/pulsar-admin';

/** Where Gyre's streams live in Pulsar and how their history is kept. */
export interface StreamNamespaceSettings {
  tenant: string;
  namespace: string;
  cluster: string;
  /** Bytes a topic keeps in BookKeeper before closed ledgers are offloaded to S3 (-1 = never). */
  offloadThresholdBytes: number;
  /** How long an offloaded ledger stays in BookKeeper after it reached S3. */
  offloadDeletionLagMs: number;
}

export interface StreamNamespaceReport {
  namespace: string;
  createdTenant: boolean;
  createdNamespace: boolean;
}

/** Infinite retention: every event is kept; cold ledgers cost object-storage prices in S3. */
export const INFINITE_RETENTION = { retentionTimeInMinutes: -1, retentionSizeInMB: -1 } as const;

/**
 * Makes the streams namespace exist with Gyre's policies: infinite retention, offload to S3 past a
 * threshold, and broker deduplication (so a producer's retry never writes an event twice).
 * Idempotent: safe on every start of every process.
 */
export class StreamNamespace {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly settings: StreamNamespaceSettings,
  ) {}

  get name(): string {
    return `${this.settings.tenant}/${this.settings.namespace}`;
  }

  topic(localName: string): string {
    return `persistent://${this.name}/${localName}`;
  }

  async provision(): Promise<StreamNamespaceReport> {
    const { tenant, namespace, cluster } = this.settings;
    const createdTenant = await this.admin.ensureTenant(tenant, [cluster]);
    const createdNamespace = await this.admin.ensureNamespace(tenant, namespace);
    await this.admin.setRetention(tenant, namespace, INFINITE_RETENTION);
    await this.admin.setDeduplication(tenant, namespace, true);
    await this.admin.setOffloadThreshold(tenant, namespace, this.settings.offloadThresholdBytes);
    await this.admin.setOffloadDeletionLag(tenant, namespace, this.settings.offloadDeletionLagMs);
    return { namespace: this.name, createdTenant, createdNamespace };
  }
}
