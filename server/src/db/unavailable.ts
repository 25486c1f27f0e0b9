// Telling "the database cannot be reached" from a query's own failure, so a request during an
// outage answers DATABASE_UNAVAILABLE (503, retry) instead of INTERNAL, and never hangs.

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True for failures that mean the server could not talk to PostgreSQL: a refused or cut connection,
 * a pool that could not connect in time, or PostgreSQL shutting down or starting up (SQLSTATE
 * class 08, 57P01–57P03).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  if (typeof message === 'string') {
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is not open|Cannot use a pool after calling end/i.test(message);
  }
  return false;
}
