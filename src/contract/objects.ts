// The objects the server answers with, as the HTTP contract (../shared/api-contract.md) defines
// them. The server builds its answers as these types and the OpenAPI document describes them from
// these schemas; the widget imports the types only (`import type`), so no validator reaches the browser.
import { z } from 'zod';
import { ROLES } from './permissions.js';
import { policySchema } from './policy.js';

const when = z.iso.datetime();
export const roleSchema = z.enum(ROLES);
export const meetingStatusSchema = z.enum(['scheduled', 'active', 'ended']);
export const mediaSourceSchema = z.enum(['microphone', 'camera', 'screen_share']);

export const meetingSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  status: meetingStatusSchema,
  hostId: z.string(),
  roomName: z.string(),
  createdAt: when,
  startedAt: when.nullable(),
  endedAt: when.nullable(),
  policy: policySchema,
  participantCount: z.int(),
});

export const meetingStatusInfoSchema = z.object({ status: meetingStatusSchema, participantCount: z.int(), waitingCount: z.int(), locked: z.boolean() });

/** A LiveKit token for the meeting's room, with who the caller is in it. */
export const admissionSchema = z.object({
  token: z.string(),
  livekitUrl: z.string(),
  identity: z.string(),
  role: roleSchema,
  /** The meeting as it is now (join answers carry it). */
  meeting: meetingSchema.optional(),
  /** For an anonymous guest: the bearer for this meeting's later calls. */
  guestToken: z.string().optional(),
});

export const waitingSchema = z.object({ status: z.literal('waiting'), waitingId: z.uuid(), guestToken: z.string().optional() });

export const waitingAnswerSchema = z.object({
  status: z.enum(['waiting', 'admitted', 'denied']),
  /** Why a waiter was turned away: a host's decision, or the meeting ended. */
  reason: z.enum(['denied', 'ended']).optional(),
  token: z.string().optional(),
  livekitUrl: z.string().optional(),
  identity: z.string().optional(),
  role: roleSchema.optional(),
});

export const waiterSchema = z.object({ waitingId: z.uuid(), displayName: z.string(), email: z.string().nullable(), since: when });
export const waitingDecisionSchema = z.object({ waitingId: z.uuid(), status: z.enum(['waiting', 'admitted', 'denied', 'cancelled']) });

export const participantSchema = z.object({ identity: z.string(), userId: z.string().nullable(), displayName: z.string(), role: roleSchema, joinedAt: when, leftAt: when.nullable() });

export const invitationSchema = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  email: z.string().nullable(),
  userId: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'declined']),
  invitedBy: z.string(),
  createdAt: when,
});

export const recordingSchema = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  status: z.enum(['starting', 'active', 'stopped', 'failed']),
  startedBy: z.string(),
  startedAt: when,
  endedAt: when.nullable(),
  location: z.string().nullable(),
});

export const handSchema = z.object({ identity: z.string(), raised: z.boolean(), raisedAt: when.nullable() });
/** The people whose hands a host's "lower all hands" took down (those already down are not listed). */
export const loweredHandsSchema = z.object({ lowered: z.array(z.string()) });
export const removalSchema = z.object({ identity: z.string(), userId: z.string().nullable(), displayName: z.string(), removedBy: z.string(), removedAt: when });
export const muteResultSchema = z.object({ identity: z.string(), source: mediaSourceSchema, muted: z.literal(true) });
export const removalResultSchema = z.object({ identity: z.string(), removed: z.boolean() });

export const chatMessageSchema = z.object({ id: z.uuid(), identity: z.string(), displayName: z.string(), text: z.string(), sentAt: when });
/** A message just sent: `delivered` false when it was stored but the room could not be reached now. */
export const sentChatMessageSchema = chatMessageSchema.extend({ delivered: z.boolean() });

export const devSessionSchema = z.object({ token: z.string(), userId: z.string() });
export const okSchema = z.object({ ok: z.literal(true) });
/** `/readyz`: 200 with `database: 'ok'`, or 503 with `ok: false, database: 'unreachable'`. */
export const readinessSchema = z.object({ ok: z.boolean(), database: z.enum(['ok', 'unreachable']) });

/** A meeting as a chat message or a calendar entry shows it (contract v1.1). */
export const meetingCardSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  status: meetingStatusSchema,
  startedAt: when.nullable(),
  endedAt: when.nullable(),
  participantCount: z.int(),
  /** Up to five of the people in it, first come first. */
  people: z.array(z.object({ displayName: z.string(), role: roleSchema })).max(5),
});

/** A poll as the server answers it to one caller (contract v1.1). */
export const pollSchema = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  question: z.string(),
  options: z.array(z.object({ text: z.string(), votes: z.int() })),
  /** Several options may be chosen. */
  multiple: z.boolean(),
  /** Nobody, the host included, learns who chose what. */
  anonymous: z.boolean(),
  status: z.enum(['open', 'closed']),
  /** Identity of the participant who started it. */
  createdBy: z.string(),
  createdAt: when,
  closedAt: when.nullable(),
  /** How many people voted (with `multiple`, fewer than the sum of the votes). */
  voterCount: z.int(),
  /** Goes up with every vote and the close: the higher revision is the newer view. */
  revision: z.int(),
  /** The caller's own vote (option indexes), or null. */
  myVote: z.array(z.int()).nullable(),
  /** Who chose what; never for an anonymous poll. */
  voters: z.array(z.object({ identity: z.string(), displayName: z.string(), options: z.array(z.int()) })).optional(),
});

/** One breakout room of a session (contract v1.1); an attendee is shown only their own. */
export const breakoutRoomSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Who is assigned there (identities). */
  identities: z.array(z.string()),
  /** How many are connected to it now, as the media server lists them. */
  participantCount: z.int(),
});

/** A meeting's breakout rooms, open or just closed (contract v1.1). */
export const breakoutSessionSchema = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  rooms: z.array(breakoutRoomSchema),
  opensAt: when,
  /** When they close by themselves (durationS), or null. */
  closesAt: when.nullable(),
  /** Whether attendees may go back to the main room before the close (hosts and co-hosts always may). */
  allowReturn: z.boolean(),
  status: z.enum(['open', 'closed']),
});

/** A token for one breakout room (POST /meetings/:id/breakouts/:roomId/join). */
export const breakoutTokenSchema = z.object({
  token: z.string(),
  livekitUrl: z.string(),
  identity: z.string(),
  role: roleSchema,
  roomId: z.uuid(),
});

/** The error every refusal answers with; `code` is one of the contract's codes. */
export function errorSchema<Code extends string>(codes: readonly [Code, ...Code[]]) {
  return z.object({ error: z.object({ code: z.enum(codes), message: z.string(), details: z.unknown().optional() }) });
}
