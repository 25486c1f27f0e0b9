// What the server accepts: request bodies, queries and path parameters. The routes validate with
// these (VALIDATION_FAILED names each offending field) and the OpenAPI document is generated from
// them, so the two cannot drift apart.
import { z } from 'zod';
import { DISPLAY_NAME_MAX, normaliseDisplayName } from './display-name.js';
import { mediaSourceSchema } from './objects.js';
import { policyPatchSchema, policySchema } from './policy.js';

const title = z.string().trim().min(1).max(200);
export const createMeetingBody = z.strictObject({ title, policy: policySchema.optional() });
export const patchMeetingBody = z
  .strictObject({ title: title.optional(), policy: policyPatchSchema.optional() })
  .refine((body) => body.title !== undefined || body.policy !== undefined, { message: 'give a title or a policy to change' });

// Control characters are refused; hidden direction and zero-width characters are dropped, so a
// name cannot reverse the text around it or pass for someone else's.
const displayName = z
  .string()
  .max(400)
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
  .transform(normaliseDisplayName)
  .pipe(z.string().min(1, 'must have visible characters').max(DISPLAY_NAME_MAX));
export const joinBody = z.strictObject({ displayName: displayName.optional() }).optional();

export const chatQuery = z.strictObject({
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const chatBody = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(4000)
    .refine((text) => text.trim() !== '', 'must not be blank'),
});

export const inviteBody = z
  .strictObject({
    emails: z
      .array(z.email().max(320).transform((email) => email.toLowerCase()))
      .max(100)
      .optional(),
    userIds: z.array(z.string().trim().min(1).max(255)).max(100).optional(),
  })
  .refine((body) => (body.emails?.length ?? 0) + (body.userIds?.length ?? 0) > 0, { message: 'give at least one e-mail address or user id' });

export const muteBody = z.strictObject({ source: mediaSourceSchema });
export const roleBody = z.strictObject({ role: z.enum(['co-host', 'attendee']) });
export const handBody = z.strictObject({ raised: z.boolean() });
/** Lower everyone's raised hand, or only these people's (an extension beyond v1.1). */
export const lowerHandsBody = z.strictObject({ identities: z.array(z.string().min(1).max(200)).min(1).max(500).optional() });

export const devSessionBody = z.strictObject({
  name: z.string().max(400).transform(normaliseDisplayName).pipe(z.string().min(1, 'must have visible characters').max(DISPLAY_NAME_MAX)),
  email: z.email().max(320),
});

/** `?wait=N`: a waiter's long poll, up to 30 s. */
export const waitingPollQuery = z.object({ wait: z.coerce.number().int().min(0).max(30).default(0) });

/** Most ids a card event stream follows at once (contract v1.1). */
export const MAX_EVENT_MEETINGS = 100;
/** `GET /events?meetings=<id>,<id>…`: one to a hundred meeting ids, comma-separated. */
export const cardEventsQuery = z.strictObject({
  meetings: z
    .string()
    .max(MAX_EVENT_MEETINGS * 37)
    .transform((list) => [...new Set(list.split(',').map((id) => id.trim()).filter((id) => id !== ''))])
    .pipe(z.array(z.uuid()).min(1, 'give at least one meeting id').max(MAX_EVENT_MEETINGS, `at most ${String(MAX_EVENT_MEETINGS)} meetings`)),
});

/** Most options a poll offers. */
export const POLL_MAX_OPTIONS = 10;
const pollOption = z.string().trim().min(1).max(100);
export const pollBody = z.strictObject({
  question: z.string().trim().min(1).max(300),
  options: z
    .array(pollOption)
    .min(2)
    .max(POLL_MAX_OPTIONS)
    .refine((options) => new Set(options.map((option) => option.toLowerCase())).size === options.length, 'options must all differ'),
  multiple: z.boolean().default(false),
  anonymous: z.boolean().default(false),
});
/** A vote by option index; the poll's own option count is checked by the route. */
export const voteBody = z.strictObject({
  options: z
    .array(z.int().min(0).max(POLL_MAX_OPTIONS - 1))
    .min(1)
    .max(POLL_MAX_OPTIONS)
    .refine((options) => new Set(options).size === options.length, 'must not name an option twice'),
});

/** Most breakout rooms one session opens, and the bounds of its timer (contract v1.1). */
export const BREAKOUT_MAX_ROOMS = 50;
export const BREAKOUT_MIN_DURATION_S = 60;
export const BREAKOUT_MAX_DURATION_S = 14_400;
/** Most people one breakout room lists (the largest meeting's cap). */
const BREAKOUT_MAX_ASSIGNED = 1000;
const breakoutRoomInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  identities: z.array(z.string().min(1).max(128)).max(BREAKOUT_MAX_ASSIGNED),
});
/**
 * Opens breakout rooms: either the rooms as listed, or `split: N` for N rooms named "Room 1".."Room N"
 * with the people present (hosts and co-hosts aside) dealt into them at random. A person is in at
 * most one room.
 */
export const breakoutBody = z
  .strictObject({
    rooms: z.array(breakoutRoomInput).min(1).max(BREAKOUT_MAX_ROOMS).optional(),
    split: z.int().min(1).max(BREAKOUT_MAX_ROOMS).optional(),
    durationS: z.int().min(BREAKOUT_MIN_DURATION_S).max(BREAKOUT_MAX_DURATION_S).optional(),
    /** May attendees go back to the main room before the close? Yes unless the host says no (as Meet and Zoom). */
    allowReturn: z.boolean().default(true),
  })
  .refine((body) => (body.rooms === undefined) !== (body.split === undefined), { message: 'give either rooms or split', path: ['rooms'] })
  .refine((body) => {
    const all = (body.rooms ?? []).flatMap((room) => room.identities);
    return new Set(all).size === all.length;
  }, { message: 'a person is assigned to one room at most', path: ['rooms'] });

/** Longest message a host sends to every breakout room (after trimming). */
export const BREAKOUT_BROADCAST_MAX = 500;
/** A host's message to the main room and every open breakout room: 1..500 characters, no control characters. */
export const breakoutBroadcastBody = z.strictObject({
  text: z
    .string()
    .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters')
    .transform((text) => text.trim())
    .pipe(z.string().min(1, 'must not be blank').max(BREAKOUT_BROADCAST_MAX)),
});

export const meetingParams = z.object({ id: z.uuid() });
export const breakoutRoomParams = z.object({ id: z.uuid(), roomId: z.uuid() });
/** A breakout room's chat: the same query and body as the main room's. */
export const breakoutChatQuery = chatQuery;
export const breakoutChatBody = chatBody;
export const pollParams = z.object({ id: z.uuid(), pollId: z.uuid() });
export const recordingParams = z.object({ id: z.uuid(), recordingId: z.uuid() });
export const waiterParams = z.object({ id: z.uuid(), waitingId: z.uuid() });
export const identityParams = z.object({ id: z.uuid(), identity: z.string().min(1).max(128) });
export const invitationParams = z.object({ id: z.uuid() });
