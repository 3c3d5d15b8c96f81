import { Injectable } from '@nestjs/common';
import { StreamRecord, StreamSchemaVersion } from '@gyre/database';
import { DataSource } from 'typeorm';
import { streamNotFound } from '../errors';
import { canonicalJson } from '../schema/json-schema';
import { PayloadValidator } from '../schema/payload-validator';
import { compatibilityProblems } from '../schema/schema-compatibility';

/** One recorded schema version of a stream. */
export interface SchemaVersionView {
  version: number;
  schema: Record<string, unknown>;
  /** The version Pulsar's registry gave it (null for versions recorded before that was kept). */
  pulsarVersion: number | null;
  createdBy: string;
  createdAt: string;
}

/** What `PUT /admin/streams/{stream}/schema` would do with a proposed schema, without doing it. */
export interface SchemaCompatibility {
  /** The current version the proposal was compared with. */
  against: number;
  compatible: boolean;
  /** The same schema as the current one: a change would add no version. */
  unchanged: boolean;
  problems: Array<{ pointer: string; detail: string }>;
}

/** Reads a stream's schema history and checks proposed changes by the rule schema changes are held to. */
@Injectable()
export class StreamSchemas {
  constructor(
    private readonly dataSource: DataSource,
    private readonly validator: PayloadValidator,
  ) {}

  /** Every version, newest first. */
  async versions(stream: string): Promise<SchemaVersionView[]> {
    await this.current(stream);
    const rows = await this.dataSource
      .getRepository(StreamSchemaVersion)
      .find({ where: { stream }, order: { version: 'DESC' } });
    return rows.map((row) => ({
      version: row.version,
      schema: row.jsonSchema,
      pulsarVersion: row.pulsarVersion === null ? null : Number(row.pulsarVersion),
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  /** The check a schema change runs (an invalid JSON Schema is refused the same way), and nothing else. */
  async check(stream: string, proposed: Record<string, unknown>): Promise<SchemaCompatibility> {
    this.validator.compile(proposed);
    const version = await this.current(stream);
    const current = await this.dataSource
      .getRepository(StreamSchemaVersion)
      .findOneByOrFail({ stream, version });
    const unchanged = canonicalJson(current.jsonSchema) === canonicalJson(proposed);
    const problems = unchanged ? [] : compatibilityProblems(current.jsonSchema, proposed);
    return { against: version, compatible: problems.length === 0, unchanged, problems };
  }

  private async current(stream: string): Promise<number> {
    const record = await this.dataSource.getRepository(StreamRecord).findOneBy({ name: stream });
    if (!record) throw streamNotFound(stream);
    return record.schemaVersion;
  }
}
