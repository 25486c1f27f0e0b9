// Every route of the HTTP API (prefix /api/v1), with what it takes and what it answers per status.
// The server registers its routes under these keys (server/src/http/contract-routes.ts), so a path
// is written once; the OpenAPI document is generated from this table; the widget types its calls
// by it. A route the server serves but this table lacks fails test/server/openapi.test.ts.
import { z } from 'zod';
import * as o from './objects.js';
import * as r from './requests.js';

export interface RouteShape {
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answers by status; null: no body (or one nobody should rely on). */
  ok: Partial<Record<200 | 201 | 202 | 204, z.ZodType | null>>;
  /** The 200 answer is a `text/event-stream`. */
  stream?: true;
  /** The 200 answer is a media file (its own Content-Type), or a redirect to where it is stored. */
  file?: true;
}

const none = null;

export const ROUTES = {
  'GET /healthz': { ok: { 200: o.okSchema } },
  'GET /readyz': { ok: { 200: o.readinessSchema } },
  'GET /openapi.json': { ok: { 200: z.record(z.string(), z.unknown()) } },
  'POST /dev/session': { body: r.devSessionBody, ok: { 201: o.devSessionSchema } },

  'POST /meetings': { body: r.createMeetingBody, ok: { 201: o.meetingSchema } },
  'GET /meetings/:id': { params: r.meetingParams, ok: { 200: o.meetingSchema } },
  'PATCH /meetings/:id': { params: r.meetingParams, body: r.patchMeetingBody, ok: { 200: o.meetingSchema } },
  'DELETE /meetings/:id': { params: r.meetingParams, ok: { 204: none } },
  'POST /meetings/:id/start': { params: r.meetingParams, ok: { 200: o.meetingSchema } },
  'POST /meetings/:id/end': { params: r.meetingParams, ok: { 200: o.meetingSchema } },
  'GET /meetings/:id/status': { params: r.meetingParams, ok: { 200: o.meetingStatusInfoSchema } },
  'POST /meetings/:id/lock': { params: r.meetingParams, ok: { 200: o.meetingSchema } },
  'POST /meetings/:id/unlock': { params: r.meetingParams, ok: { 200: o.meetingSchema } },

  'POST /meetings/:id/join': { params: r.meetingParams, body: r.joinBody, ok: { 200: o.admissionSchema, 202: o.waitingSchema } },
  'POST /meetings/:id/leave': { params: r.meetingParams, ok: { 200: o.okSchema } },
  'GET /meetings/:id/participants': { params: r.meetingParams, ok: { 200: z.array(o.participantSchema) } },

  'GET /meetings/:id/waiting': { params: r.meetingParams, ok: { 200: z.array(o.waiterSchema) } },
  'GET /meetings/:id/waiting/:waitingId': { params: r.waiterParams, query: r.waitingPollQuery, ok: { 200: o.waitingAnswerSchema } },
  'POST /meetings/:id/waiting/:waitingId/admit': { params: r.waiterParams, ok: { 200: o.waitingDecisionSchema } },
  'POST /meetings/:id/waiting/:waitingId/deny': { params: r.waiterParams, ok: { 200: o.waitingDecisionSchema } },

  'POST /meetings/:id/participants/:identity/mute': { params: r.identityParams, body: r.muteBody, ok: { 200: o.muteResultSchema } },
  'POST /meetings/:id/participants/:identity/remove': { params: r.identityParams, ok: { 200: o.removalResultSchema } },
  'PUT /meetings/:id/participants/:identity/role': { params: r.identityParams, body: r.roleBody, ok: { 200: o.participantSchema } },
  'GET /meetings/:id/removals': { params: r.meetingParams, ok: { 200: z.array(o.removalSchema) } },
  'DELETE /meetings/:id/removals/:identity': { params: r.identityParams, ok: { 200: o.removalResultSchema } },
  'POST /meetings/:id/hand': { params: r.meetingParams, body: r.handBody, ok: { 200: o.handSchema } },
  'POST /meetings/:id/hands/lower': { params: r.meetingParams, body: r.lowerHandsBody, ok: { 200: o.loweredHandsSchema } },

  'GET /meetings/:id/chat': { params: r.meetingParams, query: r.chatQuery, ok: { 200: z.array(o.chatMessageSchema) } },
  'POST /meetings/:id/chat': { params: r.meetingParams, body: r.chatBody, ok: { 201: o.sentChatMessageSchema } },

  'POST /meetings/:id/invitations': { params: r.meetingParams, body: r.inviteBody, ok: { 201: z.array(o.invitationSchema) } },
  'GET /invitations': { ok: { 200: z.array(o.invitationSchema) } },
  'POST /invitations/:id/accept': { params: r.invitationParams, ok: { 200: o.invitationSchema } },
  'POST /invitations/:id/decline': { params: r.invitationParams, ok: { 200: o.invitationSchema } },

  'POST /meetings/:id/recordings/start': { params: r.meetingParams, ok: { 200: o.recordingSchema } },
  'POST /meetings/:id/recordings/stop': { params: r.meetingParams, ok: { 200: o.recordingSchema } },
  'GET /meetings/:id/recordings': { params: r.meetingParams, ok: { 200: z.array(o.recordingSchema) } },
  'GET /meetings/:id/recordings/:recordingId/file': { params: r.recordingParams, ok: { 200: none }, file: true },

  'GET /meetings/:id/polls': { params: r.meetingParams, ok: { 200: z.array(o.pollSchema) } },
  'POST /meetings/:id/polls': { params: r.meetingParams, body: r.pollBody, ok: { 201: o.pollSchema } },
  'POST /meetings/:id/polls/:pollId/votes': { params: r.pollParams, body: r.voteBody, ok: { 200: o.pollSchema } },
  'POST /meetings/:id/polls/:pollId/close': { params: r.pollParams, ok: { 200: o.pollSchema } },

  'POST /meetings/:id/breakouts': { params: r.meetingParams, body: r.breakoutBody, ok: { 201: o.breakoutSessionSchema } },
  'GET /meetings/:id/breakouts': { params: r.meetingParams, ok: { 200: o.breakoutSessionSchema } },
  'POST /meetings/:id/breakouts/close': { params: r.meetingParams, ok: { 200: o.breakoutSessionSchema } },
  'POST /meetings/:id/breakouts/broadcast': { params: r.meetingParams, body: r.breakoutBroadcastBody, ok: { 200: z.object({ delivered: z.int().min(0) }) } },
  'POST /meetings/:id/breakouts/:roomId/join': { params: r.breakoutRoomParams, ok: { 200: o.breakoutTokenSchema } },
  'GET /meetings/:id/breakouts/:roomId/chat': { params: r.breakoutRoomParams, query: r.breakoutChatQuery, ok: { 200: z.array(o.chatMessageSchema) } },
  'POST /meetings/:id/breakouts/:roomId/chat': { params: r.breakoutRoomParams, body: r.breakoutChatBody, ok: { 201: o.sentChatMessageSchema } },

  'GET /meetings/:id/events': { params: r.meetingParams, ok: { 200: none }, stream: true },
  'GET /meetings/:id/card': { params: r.meetingParams, ok: { 200: o.meetingCardSchema } },
  'GET /events': { query: r.cardEventsQuery, ok: { 200: none }, stream: true },
  'POST /livekit/webhook': { ok: { 200: z.object({ ok: z.literal(true), ignored: z.string().optional() }) } },
} as const satisfies Record<string, RouteShape>;

export type RouteKey = keyof typeof ROUTES;
type Ok<K extends RouteKey> = (typeof ROUTES)[K]['ok'];
/** The statuses a route answers with on success. */
export type SuccessStatus<K extends RouteKey> = keyof Ok<K> & number;
/** What a route answers with that status. */
export type AnswerOf<K extends RouteKey, S extends SuccessStatus<K>> = Ok<K>[S] extends z.ZodType ? z.output<Ok<K>[S]> : undefined;
/** What a route takes as its body, before the server's parsing (defaults and normalising) applies. */
export type BodyOf<K extends RouteKey> = (typeof ROUTES)[K] extends { body: infer B extends z.ZodType } ? z.input<B> : never;
