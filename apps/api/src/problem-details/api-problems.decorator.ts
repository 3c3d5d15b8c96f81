import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-details';
import { registeredProblems } from './problem-registry';

/** Every type a coded error of a lib can be answered with (the edge's own refusals are named per operation). */
const REGISTERED_TYPES = [...new Set(registeredProblems().map(({ entry }) => entry.slug))].sort().join(', ');

export class FieldProblemDto {
  @ApiProperty({ example: '/events/3/payload/amount', description: 'JSON pointer into the request' })
  pointer!: string;

  @ApiProperty({ example: 'must be number' })
  detail!: string;
}

/** RFC 9457 problem details, as every error of the API is returned (Content-Type application/problem+json). */
export class ProblemDto {
  @ApiProperty({
    example: `${PROBLEM_TYPE_BASE}invalid-events`,
    description: `stable URI per kind of error, ${PROBLEM_TYPE_BASE}<slug>; the slugs of lib errors: ${REGISTERED_TYPES}`,
  })
  type!: string;

  @ApiProperty({ example: 'Invalid events' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty({ example: 'events do not match the stream schema' })
  detail!: string;

  @ApiProperty({ example: '/v1/streams/clicks/events' })
  instance!: string;

  @ApiPropertyOptional({ type: [FieldProblemDto] })
  errors?: FieldProblemDto[];

  @ApiPropertyOptional({ example: 5, description: 'also sent as the Retry-After header' })
  retryAfterSeconds?: number;
}

/** Documents the problem+json responses of an operation: status -> what it means there. */
export function ApiProblems(responses: Record<number, string>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      }),
    ),
  );
}
