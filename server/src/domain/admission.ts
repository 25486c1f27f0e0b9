import type { ErrorCode } from '../errors.js';
import { emailDomainAllowed, isModerator, type Policy, type Role } from './policy.js';

import type { MeetingStatus } from '../../../src/contract/index.js';

export type { MeetingStatus };

export interface AdmissionInput {
  status: MeetingStatus;
  policy: Policy;
  /** The role the caller would have: host or co-host from the meeting, else attendee. */
  role: Role;
  /** Signed-in user (true), guest with a guest token or no token at all (false). */
  signedIn: boolean;
  email: string | null;
  invited: boolean;
  /** A host or co-host removed the caller from this meeting and nobody lifted it. */
  removed: boolean;
  /** Participants holding a slot now, the caller excluded. */
  occupied: number;
  /**
   * The caller holds a seat already (in the call, in a breakout room, or reconnecting within its
   * hold): a lock keeps new people out, not the people it locked in.
   */
  holdsSeat?: boolean;
}

export type AdmissionDecision =
  | { kind: 'admit'; startsMeeting: boolean }
  | { kind: 'wait' }
  | { kind: 'refuse'; code: Extract<ErrorCode, 'MEETING_ENDED' | 'ADMISSION_DENIED' | 'MEETING_NOT_ACTIVE' | 'MEETING_LOCKED' | 'DOMAIN_NOT_ALLOWED' | 'AUTH_REQUIRED' | 'MAX_PARTICIPANTS_REACHED'> };

/**
 * Who gets in, in the contract's order: meeting state, removal, then lock → domain → anonymous → capacity →
 * waiting room. Hosts and co-hosts pass the lock, the domain rule and the waiting room; invitees
 * pass the waiting room when the policy admits them.
 */
export function decideAdmission(input: AdmissionInput): AdmissionDecision {
  const moderator = isModerator(input.role);
  const { policy } = input;
  if (input.status === 'ended') return { kind: 'refuse', code: 'MEETING_ENDED' };
  // Removal is final for the meeting, the waiting room included, until a host lifts it.
  if (input.removed) return { kind: 'refuse', code: 'ADMISSION_DENIED' };
  const startsMeeting = input.status === 'scheduled';
  if (startsMeeting && !moderator && !policy.joinBeforeHost) return { kind: 'refuse', code: 'MEETING_NOT_ACTIVE' };
  if (policy.locked && !moderator && input.holdsSeat !== true) return { kind: 'refuse', code: 'MEETING_LOCKED' };
  if (!moderator && !emailDomainAllowed(input.email, policy.allowedEmailDomains)) return { kind: 'refuse', code: 'DOMAIN_NOT_ALLOWED' };
  if (!input.signedIn && !policy.allowAnonymous) return { kind: 'refuse', code: 'AUTH_REQUIRED' };
  if (input.occupied >= policy.maxParticipants) return { kind: 'refuse', code: 'MAX_PARTICIPANTS_REACHED' };
  if (policy.waitingRoom && !moderator && !(input.invited && policy.admitInvitees)) return { kind: 'wait' };
  return { kind: 'admit', startsMeeting };
}
