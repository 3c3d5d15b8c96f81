import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditLogPage, AuditLogReader } from '@gyre/database';
import { intQuery } from '../operations/operations.dto';
import { ApiProblems } from '../problem-details/api-problems.decorator';

const MAX_PAGE = 500;

/** Who changed what (admin keys only): the audit log every administrative change writes. */
@ApiTags('admin: audit log')
@Controller('admin/audit-log')
export class AdminAuditLogController {
  constructor(private readonly auditLog: AuditLogReader) {}

  @Get()
  @ApiOperation({ summary: 'Read the audit log, newest first, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, description: `entries per page, 1-${MAX_PAGE} (default 50)` })
  @ApiQuery({ name: 'before', required: false, description: "the previous page's `next`: older entries" })
  @ApiOkResponse({
    schema: {
      example: {
        entries: [
          {
            id: '42',
            actor: 'k_3f9a',
            action: 'stream.create',
            target: 'card-transactions',
            before: null,
            after: { partitions: 4 },
            at: '2026-12-07T01:02:03.000Z',
          },
        ],
        next: null,
      },
    },
  })
  @ApiProblems({ 400: 'limit or before is not a positive integer in range' })
  page(@Query('limit') limit?: string, @Query('before') before?: string): Promise<AuditLogPage> {
    const cursor = intQuery(before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
    return this.auditLog.page(
      intQuery(limit, 'limit', { min: 1, max: MAX_PAGE, fallback: 50 })!,
      cursor?.toString(),
    );
  }
}
