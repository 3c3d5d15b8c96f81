import { Injectable, Logger } from '@nestjs/common';
import { PipelineRecord } from '@gyre/database';
import { DataSource } from 'typeorm';
import type { Pipeline } from '../definition/pipeline-definition';
import { isValidName, parsePipelineDefinition } from '../definition/parse-pipeline-definition';
import { PipelineError } from '../errors';

export interface SavePipelineOptions {
  /** Optimistic concurrency: the version the caller read (0 = must not exist yet); omitted = last write wins. */
  expectedVersion?: number;
}

/**
 * Pipelines as stored in Postgres: what admin endpoints call to define them, and what workers poll.
 * Every definition is validated before it is stored, and every change bumps the version.
 */
@Injectable()
export class PipelineService {
  private readonly logger = new Logger('PipelineService');

  constructor(private readonly dataSource: DataSource) {}

  /** Every stored pipeline, by name. A stored definition that no longer validates is skipped and logged. */
  async list(): Promise<Pipeline[]> {
    const records = await this.dataSource.getRepository(PipelineRecord).find({ order: { name: 'ASC' } });
    const pipelines: Pipeline[] = [];
    for (const record of records) {
      try {
        pipelines.push(toPipeline(record));
      } catch (error) {
        this.logger.error({
          msg: 'stored pipeline definition is invalid; skipped',
          pipeline: record.name,
          version: record.version,
          problems: error instanceof PipelineError ? error.problems : [String(error)],
        });
      }
    }
    return pipelines;
  }

  async get(name: string): Promise<Pipeline> {
    const record = await this.dataSource.getRepository(PipelineRecord).findOneBy({ name });
    if (!record) throw notFound(name);
    return toPipeline(record);
  }

  /**
   * Creates or replaces a pipeline. Saving an unchanged definition keeps the version (a repeated
   * PUT changes nothing); any change bumps it, which is what workers watch for.
   */
  async save(name: string, definition: unknown, options: SavePipelineOptions = {}): Promise<Pipeline> {
    const parsed = parsePipelineDefinition(name, definition);
    const json = JSON.stringify(parsed);
    const { expectedVersion } = options;
    let rows: unknown;
    if (expectedVersion === 0) {
      rows = await this.dataSource.query(
        `INSERT INTO gyre_pipelines (name, version, definition) VALUES ($1, 1, $2::jsonb)
         ON CONFLICT (name) DO NOTHING RETURNING name`,
        [name, json],
      );
    } else if (expectedVersion !== undefined) {
      rows = await this.dataSource.query(
        `UPDATE gyre_pipelines
            SET version = version + CASE WHEN definition = $3::jsonb THEN 0 ELSE 1 END,
                definition = $3::jsonb,
                updated_at = CASE WHEN definition = $3::jsonb THEN updated_at ELSE now() END
          WHERE name = $1 AND version = $2 RETURNING name`,
        [name, expectedVersion, json],
      );
    } else {
      rows = await this.dataSource.query(
        `INSERT INTO gyre_pipelines (name, version, definition) VALUES ($1, 1, $2::jsonb)
         ON CONFLICT (name) DO UPDATE
            SET version = gyre_pipelines.version + 1, definition = EXCLUDED.definition, updated_at = now()
          WHERE gyre_pipelines.definition IS DISTINCT FROM EXCLUDED.definition
         RETURNING name`,
        [name, json],
      );
    }
    // An UPDATE returns nothing on a version mismatch; the upsert also returns nothing when unchanged.
    if (returnedRows(rows).length === 0 && expectedVersion !== undefined)
      throw await this.conflict(name, expectedVersion);
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    const [, affected] = (await this.dataSource.query(`DELETE FROM gyre_pipelines WHERE name = $1`, [
      name,
    ])) as [unknown, number];
    if (!affected) throw notFound(name);
  }

  private async conflict(name: string, expectedVersion: number): Promise<PipelineError> {
    const current = await this.dataSource.getRepository(PipelineRecord).findOneBy({ name });
    if (!current && expectedVersion > 0) return notFound(name);
    return new PipelineError(
      'PIPELINE_VERSION_CONFLICT',
      `pipeline "${name}" is at version ${current?.version ?? 0}, not ${expectedVersion}`,
    );
  }
}

/** TypeORM's postgres driver returns INSERT rows as they are, but UPDATE and DELETE as [rows, affected]. */
function returnedRows(result: unknown): unknown[] {
  if (!Array.isArray(result)) return [];
  return result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? result[0]
    : result;
}

function toPipeline(record: PipelineRecord): Pipeline {
  return {
    name: record.name,
    version: record.version,
    definition: parsePipelineDefinition(record.name, record.definition),
    updatedAt: record.updatedAt,
  };
}

function notFound(name: string): PipelineError {
  const shown = isValidName(name) ? name : '(invalid name)';
  return new PipelineError('PIPELINE_NOT_FOUND', `pipeline "${shown}" does not exist`);
}
