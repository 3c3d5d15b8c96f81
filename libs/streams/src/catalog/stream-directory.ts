import { Injectable } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { ValidateFunction } from 'ajv';
import { DataSource } from 'typeorm';
import { streamNotFound } from '../errors';
import { PayloadValidator } from '../schema/payload-validator';

/** What the hot paths (ingestion, HTTP consumption) need of a stream. */
export interface KnownStream {
  name: string;
  schemaVersion: number;
  /** Compiled once per schema version of this incarnation of the stream. */
  validate: ValidateFunction;
}

interface Entry {
  stream: KnownStream;
  /** A re-created stream has a new created_at: a validator of the old one is never reused. */
  createdAt: number;
  checkedAt: number;
}

// Bounds memory when many streams are used by one instance; a full directory is emptied, not scanned.
const MAX_ENTRIES = 10_000;

/**
 * The streams that exist, with their compiled payload validators, read from Postgres at most once per
 * `streamCacheTtlMs` (STREAM_CACHE_TTL_MS) per stream. The catalog forgets a stream here when it changes
 * its schema or deletes it, so this instance sees its own changes at once; other instances see them within
 * the TTL. Unknown streams are not remembered: a stream created anywhere is usable at once.
 */
@Injectable()
export class StreamDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<KnownStream>>();
  private readonly ttlMs: number;
  /** Bumped by every forget: a read that began before it must not be remembered. */
  private forgets = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly validator: PayloadValidator,
    config: GyreConfig,
  ) {
    this.ttlMs = config.ingest.streamCacheTtlMs;
  }

  /** The stream, or STREAM_NOT_FOUND. */
  async lookup(name: string): Promise<KnownStream> {
    const entry = this.entries.get(name);
    if (entry && Date.now() - entry.checkedAt < this.ttlMs) return entry.stream;
    // Concurrent requests for a stream whose entry ran out share one read.
    let reading = this.reading.get(name);
    if (!reading) {
      reading = this.read(name, entry).finally(() => this.reading.delete(name));
      this.reading.set(name, reading);
    }
    return reading;
  }

  /** Called by the catalog after it changed or deleted the stream. */
  forget(name: string): void {
    this.forgets += 1;
    this.entries.delete(name);
    this.reading.delete(name);
  }

  private async read(name: string, previous: Entry | undefined): Promise<KnownStream> {
    const generation = this.forgets;
    const rows: Array<{ version: number; created_at: Date }> = await this.dataSource.query(
      `SELECT schema_version AS version, created_at FROM gyre_streams WHERE name = $1`,
      [name],
    );
    if (rows.length === 0) {
      this.entries.delete(name);
      throw streamNotFound(name);
    }
    const { version, created_at: createdAt } = rows[0];
    const stream =
      previous && previous.stream.schemaVersion === version && previous.createdAt === createdAt.getTime()
        ? previous.stream
        : { name, schemaVersion: version, validate: await this.compile(name, version) };
    if (generation === this.forgets && this.ttlMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(name, { stream, createdAt: createdAt.getTime(), checkedAt: Date.now() });
    }
    return stream;
  }

  private async compile(name: string, version: number): Promise<ValidateFunction> {
    const rows: Array<{ json_schema: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT json_schema FROM gyre_stream_schema_versions WHERE stream = $1 AND version = $2`,
      [name, version],
    );
    // Deleted between the two reads.
    if (rows.length === 0) throw streamNotFound(name);
    return this.validator.compile(rows[0].json_schema);
  }
}
