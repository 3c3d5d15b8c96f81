/**
 * Whether a thrown value means Postgres could not be reached or went away mid-query (refused or reset
 * connection, the server shutting down or starting, a pool that could not connect in time), as opposed to
 * a query Postgres refused. Looked for along the cause chain and in TypeORM's `driverError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    const next = current as { driverError?: unknown; cause?: unknown };
    current = next.driverError ?? next.cause;
  }
  return false;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now).
const POSTGRES_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[123])$/;
// What node-postgres says when a connection drops or the pool cannot get one (it sets no code then).
const CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly)/;
