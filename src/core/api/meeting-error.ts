/**
 * Every failure the widget reports: a stable code, the HTTP status when there was one, the values a
 * translated text may use (`params`), and an English `message` for developers. A UI words a failure
 * by its code (`error.<code>` in the catalogue), never by `message`.
 */
export class MeetingError extends Error {
  override readonly name = 'MeetingError';

  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }

  /** Codes the client itself produces, next to the server's own. */
  static readonly NETWORK = 'NETWORK_ERROR';
  static readonly ABORTED = 'ABORTED';
  static readonly INVALID_ARGUMENT = 'VALIDATION_FAILED';
}

export function isMeetingError(value: unknown): value is MeetingError {
  return value instanceof MeetingError;
}

/** A failure worth trying again: the network, a restarting server or proxy (5xx), a rate limit. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof MeetingError)) return true;
  if (error.code === MeetingError.ABORTED) return false;
  if (error.code === MeetingError.NETWORK) return true;
  return error.status === undefined ? false : error.status >= 500 || error.status === 429 || error.status === 408;
}
