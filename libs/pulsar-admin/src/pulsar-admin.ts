import { PulsarAdminError } from './errors';
import { AdminHttp, PulsarAdminOptions } from './http';
import { enc, namespacePath, parseTopic, subscriptionPath, topicPath } from './topic-path';
import {
  AdminMessageId,
  InternalStats,
  OffloadStatus,
  PartitionedInternalStats,
  PartitionedTopicStats,
  PeekedEntry,
  RetentionPolicy,
  SchemaCompatibilityStrategy,
  SchemaInfo,
  SchemaPayload,
  TopicOffloadPolicies,
  TopicStats,
  TopicStatsDetail,
} from './types';

/** Typed client for the parts of Pulsar's admin REST API (v2) that Gyre drives. */
export class PulsarAdmin {
  private readonly http: AdminHttp;

  constructor(options: PulsarAdminOptions) {
    this.http = new AdminHttp(options);
  }

  /** True when the broker answers its health check with "ok"; a refusal throws a PulsarAdminError with the status. */
  async brokerHealthy(): Promise<boolean> {
    const body = await this.http.request<string>('GET', '/admin/v2/brokers/health', undefined, 'text');
    return body.trim() === 'ok';
  }

  // --- tenants and namespaces -----------------------------------------------------------------

  async listTenants(): Promise<string[]> {
    return this.http.request<string[]>('GET', '/admin/v2/tenants');
  }

  /** Creates the tenant if missing (a concurrent creator winning the race is fine). */
  async ensureTenant(tenant: string, allowedClusters: string[]): Promise<boolean> {
    if ((await this.listTenants()).includes(tenant)) return false;
    return this.ignoreConflict(() =>
      this.http.request('PUT', `/admin/v2/tenants/${enc(tenant)}`, { adminRoles: [], allowedClusters }),
    );
  }

  async listNamespaces(tenant: string): Promise<string[]> {
    return this.http.request<string[]>('GET', `/admin/v2/namespaces/${enc(tenant)}`);
  }

  async ensureNamespace(tenant: string, namespace: string): Promise<boolean> {
    if ((await this.listNamespaces(tenant)).includes(`${tenant}/${namespace}`)) return false;
    return this.ignoreConflict(() => this.http.request('PUT', namespacePath(tenant, namespace)));
  }

  async setRetention(tenant: string, namespace: string, policy: RetentionPolicy): Promise<void> {
    await this.http.request('POST', `${namespacePath(tenant, namespace)}/retention`, policy);
  }

  async getRetention(tenant: string, namespace: string): Promise<RetentionPolicy | undefined> {
    return this.http.request('GET', `${namespacePath(tenant, namespace)}/retention`);
  }

  async setDeduplication(tenant: string, namespace: string, enabled: boolean): Promise<void> {
    await this.http.request('POST', `${namespacePath(tenant, namespace)}/deduplication`, enabled);
  }

  async getDeduplication(tenant: string, namespace: string): Promise<boolean | undefined> {
    return this.http.request('GET', `${namespacePath(tenant, namespace)}/deduplication`);
  }

  /** Bytes a topic may hold in BookKeeper before closed ledgers go to S3 (-1 = never, 0 = as soon as possible). */
  async setOffloadThreshold(tenant: string, namespace: string, bytes: number): Promise<void> {
    await this.http.request('PUT', `${namespacePath(tenant, namespace)}/offloadThreshold`, bytes);
  }

  async getOffloadThreshold(tenant: string, namespace: string): Promise<number> {
    return this.http.request('GET', `${namespacePath(tenant, namespace)}/offloadThreshold`);
  }

  async setOffloadDeletionLag(tenant: string, namespace: string, lagMs: number): Promise<void> {
    await this.http.request('PUT', `${namespacePath(tenant, namespace)}/offloadDeletionLagMs`, lagMs);
  }

  async getOffloadDeletionLag(tenant: string, namespace: string): Promise<number | undefined> {
    return this.http.request('GET', `${namespacePath(tenant, namespace)}/offloadDeletionLagMs`);
  }

  // --- topics ---------------------------------------------------------------------------------

  async createTopic(topic: string): Promise<boolean> {
    return this.ignoreConflict(() => this.http.request('PUT', topicPath(topic)));
  }

  async createPartitionedTopic(topic: string, partitions: number): Promise<boolean> {
    return this.ignoreConflict(() => this.http.request('PUT', `${topicPath(topic)}/partitions`, partitions));
  }

  /** Deletes every partition (and, with it, the topic's schema in the registry). */
  async deletePartitionedTopic(topic: string): Promise<void> {
    await this.http.request('DELETE', `${topicPath(topic)}/partitions?force=true`);
  }

  /** Topic-level retention (needs topicLevelPoliciesEnabled, the default since Pulsar 3). */
  async setTopicRetention(topic: string, policy: RetentionPolicy): Promise<void> {
    await this.http.request('POST', `${topicPath(topic)}/retention`, policy);
  }

  async setTopicSchemaCompatibility(topic: string, strategy: SchemaCompatibilityStrategy): Promise<void> {
    await this.http.request('PUT', `${topicPath(topic)}/schemaCompatibilityStrategy`, strategy);
  }

  /** Registers a schema version; the broker refuses (conflict) one its compatibility strategy rejects. */
  async uploadSchema(topic: string, schema: SchemaPayload): Promise<number> {
    const { tenant, namespace, local } = parseTopic(topic);
    const result = await this.http.request<{ version: { version: number } | number }>(
      'POST',
      `/admin/v2/schemas/${enc(tenant)}/${enc(namespace)}/${enc(local)}/schema`,
      schema,
    );
    return typeof result.version === 'number' ? result.version : result.version.version;
  }

  async getSchema(topic: string): Promise<SchemaInfo> {
    const { tenant, namespace, local } = parseTopic(topic);
    return this.http.request(
      'GET',
      `/admin/v2/schemas/${enc(tenant)}/${enc(namespace)}/${enc(local)}/schema`,
    );
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.http.request('DELETE', `${topicPath(topic)}?force=true`);
  }

  async topicStats(topic: string): Promise<TopicStats> {
    return this.http.request('GET', `${topicPath(topic)}/stats`);
  }

  /** With `ledgerMetadata`, each ledger still known to BookKeeper carries its BookKeeper metadata. */
  async internalStats(topic: string, options: { ledgerMetadata?: boolean } = {}): Promise<InternalStats> {
    const query = options.ledgerMetadata ? '?metadata=true' : '';
    return this.http.request('GET', `${topicPath(topic)}/internalStats${query}`);
  }

  async lastMessageId(topic: string): Promise<AdminMessageId> {
    return this.http.request('GET', `${topicPath(topic)}/lastMessageId`);
  }

  /**
   * The first entry of a (non-partitioned) topic published at or after `timestampMs`; past the last
   * entry when none is (the broker answers the position after it).
   */
  async messageIdByTimestamp(topic: string, timestampMs: number): Promise<AdminMessageId> {
    return this.http.request('GET', `${topicPath(topic)}/messageid/${Math.floor(timestampMs)}`);
  }

  /** Offloads every closed ledger before the one holding `before`; the open ledger never moves. */
  async triggerOffload(topic: string, before: AdminMessageId): Promise<void> {
    await this.http.request('PUT', `${topicPath(topic)}/offload`, before);
  }

  async offloadStatus(topic: string): Promise<OffloadStatus> {
    return this.http.request('GET', `${topicPath(topic)}/offload`);
  }

  /** Closes the topic's ledgers and reloads it: the next write opens a new ledger. */
  async unloadTopic(topic: string): Promise<void> {
    await this.http.request('PUT', `${topicPath(topic)}/unload`);
  }

  // --- subscriptions ----------------------------------------------------------------------------
  // Partitioned topics accept create, delete, reset by time and clear backlog; skip, reset to a
  // position and peek are refused there (405) and go to a partition (`<topic>-partition-<n>`).

  async partitionedStats(topic: string): Promise<PartitionedTopicStats> {
    return this.http.request('GET', `${topicPath(topic)}/partitioned-stats?perPartition=true`);
  }

  async topicStatsDetail(topic: string): Promise<TopicStatsDetail> {
    return this.http.request('GET', `${topicPath(topic)}/stats`);
  }

  async partitionedInternalStats(topic: string): Promise<PartitionedInternalStats> {
    return this.http.request('GET', `${topicPath(topic)}/partitioned-internalStats`);
  }

  async partitionCount(topic: string): Promise<number> {
    const metadata = await this.http.request<{ partitions: number }>('GET', `${topicPath(topic)}/partitions`);
    return metadata.partitions;
  }

  async listSubscriptions(topic: string): Promise<string[]> {
    return this.http.request('GET', `${topicPath(topic)}/subscriptions`);
  }

  /** Creates a durable subscription at `at` (earliest, latest or a position of a non-partitioned topic). */
  async createSubscription(
    topic: string,
    subscription: string,
    at: 'earliest' | 'latest' | AdminMessageId,
  ): Promise<void> {
    const position =
      at === 'earliest'
        ? { ledgerId: -1, entryId: -1, partitionIndex: -1 }
        : at === 'latest'
          ? { ledgerId: Number.MAX_SAFE_INTEGER, entryId: Number.MAX_SAFE_INTEGER, partitionIndex: -1 }
          : at;
    await this.http.request('PUT', `${subscriptionPath(topic, subscription)}`, position);
  }

  async deleteSubscription(topic: string, subscription: string): Promise<void> {
    await this.http.request('DELETE', `${subscriptionPath(topic, subscription)}?force=true`);
  }

  /** Moves the cursor to the first message published at or after `timestampMs` (every partition). */
  async resetCursorToTime(topic: string, subscription: string, timestampMs: number): Promise<void> {
    await this.http.request('POST', `${subscriptionPath(topic, subscription)}/resetcursor/${timestampMs}`);
  }

  /** Moves the cursor of one partition (or non-partitioned topic) so `position` is the next delivered. */
  async resetCursorToPosition(
    topic: string,
    subscription: string,
    position: AdminMessageId & { batchIndex?: number },
  ): Promise<void> {
    await this.http.request('POST', `${subscriptionPath(topic, subscription)}/resetcursor`, {
      ...position,
      isExcluded: false,
    });
  }

  async skipMessages(topic: string, subscription: string, count: number): Promise<void> {
    await this.http.request('POST', `${subscriptionPath(topic, subscription)}/skip/${count}`);
  }

  /** Acknowledges everything in the subscription (every partition). */
  async clearBacklog(topic: string, subscription: string): Promise<void> {
    await this.http.request('POST', `${subscriptionPath(topic, subscription)}/skip_all`);
  }

  /**
   * The `n`-th unacknowledged entry (1-based) of one partition's subscription, or undefined past the
   * end. The broker accepts unknown subscriptions silently here and in skip/reset: callers check first. A batched entry comes whole: X-Pulsar-num-batch-message is set and the body is the batch.
   */
  async peekEntry(topic: string, subscription: string, n: number): Promise<PeekedEntry | undefined> {
    try {
      return await this.http.requestRaw(`${subscriptionPath(topic, subscription)}/position/${n}`);
    } catch (error) {
      // The broker answers "Message not found" past the end (and, alas, for an unknown subscription).
      if (error instanceof PulsarAdminError && error.code === 'not-found') return undefined;
      throw error;
    }
  }

  /**
   * The `n`-th newest entry (1-based) of one partition (or non-partitioned topic), read without any
   * subscription, or undefined when the topic holds fewer entries (the broker answers 412 then).
   */
  async examineNewestEntry(topic: string, n: number): Promise<PeekedEntry | undefined> {
    try {
      return await this.http.requestRaw(
        `${topicPath(topic)}/examinemessage?initialPosition=latest&messagePosition=${n}`,
      );
    } catch (error) {
      if (error instanceof PulsarAdminError && (error.status === 412 || error.code === 'not-found'))
        return undefined;
      throw error;
    }
  }

  // --- topic-level policies -------------------------------------------------------------------

  async getTopicRetention(topic: string): Promise<RetentionPolicy | undefined> {
    return this.http.request('GET', `${topicPath(topic)}/retention`);
  }

  async removeTopicRetention(topic: string): Promise<void> {
    await this.http.request('DELETE', `${topicPath(topic)}/retention`);
  }

  async getTopicOffloadPolicies(topic: string): Promise<TopicOffloadPolicies | undefined> {
    return this.http.request('GET', `${topicPath(topic)}/offloadPolicies`);
  }

  /** The policies in force (topic, else namespace, else broker): may hold credentials, never return them. */
  async getAppliedOffloadPolicies(topic: string): Promise<TopicOffloadPolicies | undefined> {
    return this.http.request('GET', `${topicPath(topic)}/offloadPolicies?applied=true`);
  }

  async setTopicOffloadPolicies(topic: string, policies: TopicOffloadPolicies): Promise<void> {
    await this.http.request('POST', `${topicPath(topic)}/offloadPolicies`, policies);
  }

  async removeTopicOffloadPolicies(topic: string): Promise<void> {
    await this.http.request('DELETE', `${topicPath(topic)}/offloadPolicies`);
  }

  private async ignoreConflict(create: () => Promise<unknown>): Promise<boolean> {
    try {
      await create();
      return true;
    } catch (error) {
      if (error instanceof PulsarAdminError && error.code === 'conflict') return false;
      throw error;
    }
  }
}
