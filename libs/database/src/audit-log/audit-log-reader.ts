import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLogEntry } from './audit-log-entry.entity';

/** A page of the audit log, newest first; `next` is the `before` of the following page (null at the end). */
export interface AuditLogPage {
  entries: Array<Omit<AuditLogEntry, 'at'> & { at: string }>;
  next: string | null;
}

/** Reads the audit log, newest first, by keyset pagination on its identity column. */
@Injectable()
export class AuditLogReader {
  constructor(private readonly dataSource: DataSource) {}

  async page(limit: number, before?: string): Promise<AuditLogPage> {
    const query = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('entry')
      .orderBy('entry.id', 'DESC')
      .limit(limit + 1);
    if (before !== undefined) query.where('entry.id < :before', { before });
    const rows = await query.getMany();
    const entries = rows.slice(0, limit).map((row) => ({ ...row, at: row.at.toISOString() }));
    return { entries, next: rows.length > limit ? entries[entries.length - 1].id : null };
  }
}
