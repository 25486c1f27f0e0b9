// What a caller is in a meeting, and the checks routes and services share on it.
import type { Caller } from '../auth/identity.js';
import { participantIdentity } from '../auth/participant-identity.js';
import type { Sql } from '../db/database.js';
import { emailDomainAllowed, isModerator, type Role } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { findMeeting, isPresentParticipant, roleInMeeting, type MeetingRecord } from '../store/meetings.js';
import { hasEverJoined, isInvited, waitingIdsOf } from '../store/participants.js';
import { isRemoved } from '../store/removals.js';

export interface MeetingAccess {
  meeting: MeetingRecord;
  caller: Caller | null;
  /** LiveKit identity of the caller; null when anonymous. */
  identity: string | null;
  role: Role;
}

/** The meeting, or MEETING_NOT_FOUND; `forUpdate` locks its row until the transaction ends. */
export async function requireMeeting(sql: Sql, id: string, options: { forUpdate?: boolean } = {}): Promise<MeetingRecord> {
  const meeting = await findMeeting(sql, id, options);
  if (meeting === null) throw new ApiError('MEETING_NOT_FOUND', 'No meeting has this id.');
  return meeting;
}

/** The meeting and what `caller` is in it; a guest token of another meeting is refused. */
export async function accessOf(sql: Sql, meetingId: string, caller: Caller | null, options: { forUpdate?: boolean } = {}): Promise<MeetingAccess> {
  const meeting = await requireMeeting(sql, meetingId, options);
  if (caller?.kind === 'guest' && caller.meetingId !== meeting.id) {
    throw new ApiError('INSUFFICIENT_PERMISSION', 'This guest token is for another meeting.');
  }
  // A guest token belongs to one meeting and ends with it.
  if (caller?.kind === 'guest' && meeting.status === 'ended') throw new ApiError('INVALID_TOKEN', 'This guest token ended with its meeting.');
  const identity = caller === null ? null : participantIdentity(caller);
  const role = identity === null ? 'attendee' : await roleInMeeting(sql, meeting, identity, caller?.kind === 'user' ? caller.userId : null);
  return { meeting, caller, identity, role };
}

/**
 * "Anyone allowed to join" may look at a meeting: moderators, people in it, and callers who pass
 * the rules that do not change from minute to minute (the domain rule and anonymous access).
 */
export async function assertMayView(sql: Sql, access: MeetingAccess): Promise<void> {
  if (isModerator(access.role)) return;
  if (access.identity !== null && (await isPresentParticipant(sql, access.meeting.id, access.identity))) return;
  const { policy } = access.meeting;
  const email = access.caller?.kind === 'user' ? access.caller.email : null;
  if (!emailDomainAllowed(email, policy.allowedEmailDomains)) throw new ApiError('DOMAIN_NOT_ALLOWED', 'Your e-mail domain may not join this meeting.');
  if (access.caller === null && !policy.allowAnonymous) throw new ApiError('AUTH_REQUIRED', 'Sign in to join this meeting.');
}

/**
 * Who may read a meeting's card (and follow it on GET /events): its hosts, people who are or were
 * in it, people waiting to get in, invitees, and anyone allowed to join it straight away: a meeting
 * with a waiting room is private to the others, and the domain and anonymous rules hold as for
 * GET /meetings/:id. A removed person reads it no more.
 */
export async function assertMayReadCard(sql: Sql, access: MeetingAccess): Promise<void> {
  if (isModerator(access.role)) return;
  const meetingId = access.meeting.id;
  if (access.identity !== null && (await isRemoved(sql, meetingId, access.identity))) throw new ApiError('ADMISSION_DENIED', 'A host removed you from this meeting.');
  if (access.identity !== null && ((await hasEverJoined(sql, meetingId, access.identity)) || (await waitingIdsOf(sql, meetingId, access.identity)).length > 0)) return;
  const user = access.caller?.kind === 'user' ? access.caller : null;
  if (user !== null && (await isInvited(sql, meetingId, user.userId, user.email))) return;
  const { policy } = access.meeting;
  if (!emailDomainAllowed(user?.email ?? null, policy.allowedEmailDomains)) throw new ApiError('DOMAIN_NOT_ALLOWED', 'Your e-mail domain may not join this meeting.');
  if (access.caller === null && !policy.allowAnonymous) throw new ApiError('AUTH_REQUIRED', 'Sign in to see this meeting.');
  if (policy.waitingRoom) throw new ApiError('INSUFFICIENT_PERMISSION', 'This meeting is private: only its invitees and the people in it see it.');
}

export function assertModerator(access: MeetingAccess): void {
  if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to do this.');
  if (!isModerator(access.role)) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the host or a co-host can do this.');
}

export function assertHost(access: MeetingAccess): void {
  if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to do this.');
  if (access.role !== 'host') throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the host can do this.');
}

export function assertNotEnded(meeting: MeetingRecord): void {
  if (meeting.status === 'ended') throw new ApiError('MEETING_ENDED', 'This meeting has ended.');
}
