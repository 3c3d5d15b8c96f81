import { Injectable, Logger } from '@nestjs/common';
import { AuditLogEntry, StreamRecord, StreamSchemaVersion } from '@gyre/database';
import { PulsarAdmin, PulsarAdminError } from '@gyre/pulsar-admin';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { streamNotFound, StreamsError } from '../errors';
import { StreamNamespace } from '../namespace/stream-namespace';
import { avroDefinitionFor } from '../schema/avro-definition';
import { canonicalJson } from '../schema/json-schema';
import { PayloadValidator } from '../schema/payload-validator';
import { backwardIncompatibilities, compatibilityProblems } from '../schema/schema-compatibility';
import { checkDefinition, StreamDefinition, StreamView } from './stream-definition';
import { StreamDirectory } from './stream-directory';

const UNIQUE_VIOLATION = '23505';

/** Runs before a stream's topic is deleted: whoever holds the topic open (the ingest producers) lets go. */
export type StreamDeletionHook = (topic: string) => Promise<void>;

/**
 * Streams: their Postgres records, schema versions and audit entries, and their topics and schemas in
 * Pulsar. Each change runs in one transaction that also holds the Pulsar calls, so a refused or failed
 * Pulsar call leaves no record behind.
 */
@Injectable()
export class StreamCatalog {
  private readonly logger = new Logger('StreamCatalog');
  private readonly deletionHooks: StreamDeletionHook[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly admin: PulsarAdmin,
    private readonly namespace: StreamNamespace,
    private readonly validator: PayloadValidator,
    private readonly directory: StreamDirectory,
  ) {}

  /** Registers a hook run inside every stream deletion, before the topic goes (the broker refuses to delete a topic with producers). */
  beforeTopicDeletion(hook: StreamDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  async create(definition: StreamDefinition, actor: string): Promise<StreamView> {
    checkDefinition(definition);
    this.validator.compile(definition.schema);
    const topic = this.namespace.topic(definition.name);
    let createdTopic = false;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const record = manager.create(StreamRecord, {
          name: definition.name,
          ownerTeam: definition.ownerTeam,
          partitions: definition.partitions,
          schemaVersion: 1,
          retentionMinutes: definition.retention?.minutes ?? null,
          retentionSizeMb: definition.retention?.sizeMb ?? null,
        });
        // Insert first: a concurrent create of the same name waits here and then fails as STREAM_EXISTS.
        await manager.insert(StreamRecord, record).catch((error: unknown) => {
          if (
            error instanceof QueryFailedError &&
            (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
          )
            throw new StreamsError('STREAM_EXISTS', `stream "${definition.name}" already exists`, {
              cause: error,
            });
          throw error;
        });
        createdTopic = await this.pulsar(() =>
          this.admin.createPartitionedTopic(topic, definition.partitions),
        );
        // Pulsar's check then matches Gyre's: a new schema must read everything the previous one accepted.
        await this.pulsar(() => this.admin.setTopicSchemaCompatibility(topic, 'BACKWARD'));
        if (definition.retention)
          await this.pulsar(() =>
            this.admin.setTopicRetention(topic, {
              retentionTimeInMinutes: definition.retention!.minutes,
              retentionSizeInMB: definition.retention!.sizeMb,
            }),
          );
        const pulsarVersion = await this.registerSchema(topic, definition.schema, 1);
        await this.saveVersion(manager, definition.name, 1, definition.schema, pulsarVersion, actor);
        const view = await this.viewOf(manager, definition.name);
        await this.audit(manager, actor, 'stream.create', definition.name, null, view);
        return view;
      });
    } catch (error) {
      // The record is rolled back; a topic made for it would otherwise block nothing but linger.
      if (createdTopic)
        await this.admin.deletePartitionedTopic(topic).catch((cleanup: unknown) =>
          this.logger.warn({
            msg: 'could not delete the topic of a failed stream creation',
            topic,
            error: String(cleanup),
          }),
        );
      throw error;
    }
  }

  async list(): Promise<StreamView[]> {
    const records = await this.dataSource.getRepository(StreamRecord).find({ order: { name: 'ASC' } });
    return Promise.all(records.map((record) => this.viewOf(this.dataSource.manager, record.name)));
  }

  async describe(name: string): Promise<StreamView> {
    return this.viewOf(this.dataSource.manager, name);
  }

  /** Adds a schema version when `schema` is backward compatible; the same schema again changes nothing. */
  async updateSchema(name: string, schema: Record<string, unknown>, actor: string): Promise<StreamView> {
    this.validator.compile(schema);
    // Forgotten after the commit too: a read of the old version during the change is not remembered.
    this.directory.forget(name);
    try {
      return await this.changeSchema(name, schema, actor);
    } finally {
      this.directory.forget(name);
    }
  }

  private changeSchema(name: string, schema: Record<string, unknown>, actor: string): Promise<StreamView> {
    return this.dataSource.transaction(async (manager) => {
      const record = await this.lockRecord(manager, name);
      const current = await manager.findOneByOrFail(StreamSchemaVersion, {
        stream: name,
        version: record.schemaVersion,
      });
      if (canonicalJson(current.jsonSchema) === canonicalJson(schema)) return this.viewOf(manager, name);
      const reasons = backwardIncompatibilities(current.jsonSchema, schema);
      if (reasons.length > 0)
        throw new StreamsError(
          'INCOMPATIBLE_SCHEMA',
          `the schema is not backward compatible with version ${record.schemaVersion}: ${reasons.join('; ')}`,
          { problems: compatibilityProblems(current.jsonSchema, schema) },
        );
      const before = await this.viewOf(manager, name);
      const version = record.schemaVersion + 1;
      const pulsarVersion = await this.registerSchema(this.namespace.topic(name), schema, version);
      await this.saveVersion(manager, name, version, schema, pulsarVersion, actor);
      await manager.update(StreamRecord, { name }, { schemaVersion: version, updatedAt: () => 'now()' });
      const after = await this.viewOf(manager, name);
      await this.audit(manager, actor, 'stream.schema.update', name, before, after);
      return after;
    });
  }

  /** Deletes the stream, its topic with every event, and its schema; `confirm` must repeat the name. */
  async delete(name: string, confirm: string | undefined, actor: string): Promise<void> {
    if (confirm !== name)
      throw new StreamsError(
        'DELETE_NOT_CONFIRMED',
        `deleting a stream deletes its events: confirm with ?confirm=${name}`,
        {
          problems: [{ pointer: '/query/confirm', detail: 'must equal the stream name' }],
        },
      );
    const topic = this.namespace.topic(name);
    this.directory.forget(name);
    await this.dataSource.transaction(async (manager) => {
      await this.lockRecord(manager, name);
      const before = await this.viewOf(manager, name);
      await manager.delete(StreamRecord, { name });
      await this.audit(manager, actor, 'stream.delete', name, before, null);
      for (const hook of this.deletionHooks) await hook(topic);
      // Deleting the partitioned topic also removes its schema from Pulsar's registry.
      await this.pulsar(() => this.admin.deletePartitionedTopic(topic)).catch((error: unknown) => {
        if (!(error instanceof StreamsError && (error.cause as PulsarAdminError)?.code === 'not-found'))
          throw error;
      });
    });
    this.directory.forget(name);
  }

  private async registerSchema(
    topic: string,
    schema: Record<string, unknown>,
    version: number,
  ): Promise<number> {
    return this.pulsar(() =>
      this.admin.uploadSchema(topic, {
        type: 'JSON',
        schema: JSON.stringify(avroDefinitionFor(schema)),
        properties: { 'gyre.schema.version': String(version), 'gyre.json-schema': JSON.stringify(schema) },
      }),
    );
  }

  private async lockRecord(manager: EntityManager, name: string): Promise<StreamRecord> {
    const record = await manager.findOne(StreamRecord, {
      where: { name },
      lock: { mode: 'pessimistic_write' },
    });
    if (!record) throw streamNotFound(name);
    return record;
  }

  private async viewOf(manager: EntityManager, name: string): Promise<StreamView> {
    const record = await manager.findOneBy(StreamRecord, { name });
    if (!record) throw streamNotFound(name);
    const schema = await manager.findOneByOrFail(StreamSchemaVersion, {
      stream: name,
      version: record.schemaVersion,
    });
    return {
      name: record.name,
      topic: this.namespace.topic(record.name),
      ownerTeam: record.ownerTeam,
      partitions: record.partitions,
      schemaVersion: record.schemaVersion,
      schema: schema.jsonSchema,
      retention:
        record.retentionMinutes === null || record.retentionSizeMb === null
          ? null
          : { minutes: record.retentionMinutes, sizeMb: record.retentionSizeMb },
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }

  private async audit(
    manager: EntityManager,
    actor: string,
    action: string,
    stream: string,
    before: unknown,
    after: unknown,
  ) {
    await manager.save(
      Object.assign(new AuditLogEntry(), { actor, action, target: `stream/${stream}`, before, after }),
    );
  }

  private async saveVersion(
    manager: EntityManager,
    stream: string,
    version: number,
    jsonSchema: Record<string, unknown>,
    pulsarVersion: number,
    createdBy: string,
  ): Promise<void> {
    await manager.save(
      Object.assign(new StreamSchemaVersion(), {
        stream,
        version,
        jsonSchema,
        pulsarVersion: String(pulsarVersion),
        createdBy,
      }),
    );
  }

  /** Pulsar admin failures as domain errors: a refused schema is INCOMPATIBLE_SCHEMA, the rest PULSAR_ADMIN_FAILED. */
  private async pulsar<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PulsarAdminError)) throw error;
      if (error.code === 'conflict' && error.path.includes('/schemas/'))
        throw new StreamsError(
          'INCOMPATIBLE_SCHEMA',
          `Pulsar's schema registry refused the schema: ${error.brokerReason ?? 'incompatible'}`,
          { cause: error },
        );
      throw new StreamsError('PULSAR_ADMIN_FAILED', `Pulsar's admin API failed: ${error.message}`, {
        retriable: error.retriable,
        cause: error,
      });
    }
  }
}
