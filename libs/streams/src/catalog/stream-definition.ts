import { FieldProblem, StreamsError } from '../errors';

/** Stream names become topic names: lowercase, digits, '-', '_' and '.', starting with a letter or digit. */
export const STREAM_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
export const MAX_PARTITIONS = 128;

/** What an operator gives to create a stream. */
export interface StreamDefinition {
  name: string;
  ownerTeam: string;
  partitions: number;
  schema: Record<string, unknown>;
  /** Topic-level retention; omitted keeps the namespace's infinite retention. */
  retention?: { minutes: number; sizeMb: number };
}

/** A stream as the API shows it. */
export interface StreamView {
  name: string;
  topic: string;
  ownerTeam: string;
  partitions: number;
  schemaVersion: number;
  schema: Record<string, unknown>;
  retention: { minutes: number; sizeMb: number } | null;
  createdAt: string;
  updatedAt: string;
}

/** Checks what the HTTP edge's body validation cannot: the name rule and the partition range. */
export function checkDefinition(definition: StreamDefinition): void {
  const problems: FieldProblem[] = [];
  if (!STREAM_NAME.test(definition.name))
    problems.push({
      pointer: '/name',
      detail: "must be 1-100 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
    });
  if (
    !Number.isInteger(definition.partitions) ||
    definition.partitions < 1 ||
    definition.partitions > MAX_PARTITIONS
  )
    problems.push({ pointer: '/partitions', detail: `must be an integer from 1 to ${MAX_PARTITIONS}` });
  if (definition.ownerTeam.trim() === '')
    problems.push({ pointer: '/ownerTeam', detail: 'must not be blank' });
  const { retention } = definition;
  if (retention && (!validRetention(retention.minutes) || !validRetention(retention.sizeMb)))
    problems.push({
      pointer: '/retention',
      detail: 'minutes and sizeMb must be integers >= -1 (-1 = unlimited)',
    });
  if (problems.length > 0)
    throw new StreamsError('INVALID_STREAM_DEFINITION', 'the stream definition is invalid', { problems });
}

function validRetention(value: number): boolean {
  return Number.isInteger(value) && value >= -1;
}
