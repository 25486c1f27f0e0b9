/** Every failure the widget reports: a stable code, the HTTP status when there was one, and a message. */
export class MeetingError extends Error {
  override readonly name = 'MeetingError';

  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
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
