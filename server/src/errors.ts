/** Error codes of the HTTP contract (`api-contract.md`), with the status each one answers. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  AUTH_REQUIRED: 401,
  INVALID_TOKEN: 401,
  INSUFFICIENT_PERMISSION: 403,
  MAX_PARTICIPANTS_REACHED: 403,
  MEETING_LOCKED: 403,
  DOMAIN_NOT_ALLOWED: 403,
  ADMISSION_DENIED: 403,
  FEATURE_DISABLED: 403,
  BREAKOUT_RETURN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  MEETING_NOT_FOUND: 404,
  PARTICIPANT_NOT_FOUND: 404,
  INVITATION_NOT_FOUND: 404,
  POLL_NOT_FOUND: 404,
  BREAKOUTS_NOT_OPEN: 404,
  RECORDING_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MEETING_ALREADY_ACTIVE: 409,
  MEETING_NOT_ACTIVE: 409,
  RECORDING_NOT_ACTIVE: 409,
  RECORDING_NOT_READY: 409,
  POLL_CLOSED: 409,
  MEETING_ENDED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  MEDIA_SERVER_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A failure the client should hear about, with its contract code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Sent as Retry-After: when the same call may succeed (RATE_LIMITED, DATABASE_UNAVAILABLE). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}
