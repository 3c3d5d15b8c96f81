/** TypeORM's postgres driver returns INSERT rows as they are, but UPDATE and DELETE as [rows, affected]. */
export function queryRows<T>(result: unknown): T[] {
  if (!Array.isArray(result)) return [];
  return (
    result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result
  ) as T[];
}
