/**
 * What people read for each error code the core can report: its own codes and the server's, which
 * it passes on as they are. The core sends codes (and params) only; the UI words them with
 * `translate(lang, errorMessageKey(code), params)`. The catalogue spreads these maps in, so hosts
 * override them with `registerMessages` like any other string.
 */
export const errorMessagesEn = {
  // The core's own codes.
  'error.VALIDATION_FAILED': 'Some of what was entered is not valid.',
  'error.NETWORK_ERROR': 'The meeting server could not be reached. Check your connection and try again.',
  'error.ABORTED': 'The request was cancelled.',
  'error.PERMISSION_DENIED': 'Camera and microphone access was refused.',
  'error.DEVICE_UNAVAILABLE': 'Your camera or microphone could not start.',
  'error.CONNECTION_FAILED': 'Joining the call failed.',
  'error.CONNECTION_LOST': 'The connection to the meeting was lost and could not be restored.',
  'error.LEFT': 'You left the meeting.',
  'error.REMOVED': 'A host removed you from the meeting.',
  'error.JOINED_ELSEWHERE': 'You joined this meeting from another window.',
  'error.NOT_CONNECTED': 'You are not in the meeting yet.',
  'error.PUBLISH_FAILED': 'Your camera or microphone could not be shared with the others.',
  'error.ACTION_FAILED': 'That did not work. Please try again.',
  'error.DISPOSED': 'This meeting has been closed on this page.',
  'error.HTTP_ERROR': 'The meeting server gave an unexpected answer.',
  'error.UNKNOWN': 'Something went wrong.',
  // The server's codes (the HTTP contract, v1 and v1.1).
  'error.AUTH_REQUIRED': 'Please sign in to join this meeting.',
  'error.INVALID_TOKEN': 'Your sign-in has expired. Please sign in again.',
  'error.INSUFFICIENT_PERMISSION': 'You are not allowed to do that in this meeting.',
  'error.MAX_PARTICIPANTS_REACHED': 'This meeting is full.',
  'error.MEETING_LOCKED': 'This meeting is locked.',
  'error.DOMAIN_NOT_ALLOWED': 'This meeting is open to some organisations only.',
  'error.ADMISSION_DENIED': 'A host declined your request to join.',
  'error.FEATURE_DISABLED': 'This is turned off for you in this meeting.',
  'error.NOT_FOUND': 'That could not be found.',
  'error.MEETING_NOT_FOUND': 'This meeting does not exist.',
  'error.PARTICIPANT_NOT_FOUND': 'That person is no longer in the meeting.',
  'error.INVITATION_NOT_FOUND': 'This invitation does not exist.',
  'error.METHOD_NOT_ALLOWED': 'The meeting server does not allow that.',
  'error.MEETING_ALREADY_ACTIVE': 'The meeting has already started.',
  'error.MEETING_NOT_ACTIVE': 'The meeting has not started yet.',
  'error.RECORDING_NOT_ACTIVE': 'The meeting is not being recorded.',
  'error.MEETING_ENDED': 'The meeting has ended.',
  'error.PAYLOAD_TOO_LARGE': 'That is too large to send.',
  'error.UNSUPPORTED_MEDIA_TYPE': 'The meeting server could not read the request.',
  'error.RATE_LIMITED': 'Too many tries in a short time. Wait a moment and try again.',
  'error.INTERNAL': 'The meeting server ran into a problem. Please try again.',
  'error.MEDIA_SERVER_UNAVAILABLE': 'The call service is not available right now. Please try again soon.',
  'error.DATABASE_UNAVAILABLE': 'The meeting service is briefly unavailable. Please try again soon.',
  'error.POLL_CLOSED': 'This poll is closed.',
  'error.POLL_NOT_FOUND': 'This poll does not exist.',
  'error.BREAKOUTS_NOT_OPEN': 'Breakout rooms are not open.',
  'error.BREAKOUT_RETURN_NOT_ALLOWED': 'The host keeps everyone in their breakout rooms until they close.',
  'error.RECORDING_NOT_FOUND': 'This recording does not exist.',
  'error.RECORDING_NOT_READY': 'This recording is not ready yet.',
} as const;

export type ErrorMessageKey = keyof typeof errorMessagesEn;

/** The catalogue key for `code`; a code nobody wrote a text for gets the generic one. */
export function errorMessageKey(code: string): ErrorMessageKey {
  const key = `error.${code}`;
  return key in errorMessagesEn ? (key as ErrorMessageKey) : 'error.UNKNOWN';
}
