// The HTTP contract as an OpenAPI 3.1 document, generated from the wire contract's route table
// (src/contract/routes.ts): the schemas the routes validate with and answer by, converted with
// zod's own JSON Schema output. What only a reader needs (a summary, who may call, the refusals)
// is written here, once per route; the compiler asks for it for every route of the table.
import { z } from 'zod';
import * as objects from '../../../src/contract/objects.js';
import { policySchema } from '../../../src/contract/policy.js';
import { ROUTES, type RouteKey, type RouteShape } from '../../../src/contract/routes.js';
import { WEBHOOK_EVENT_DATA, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../src/contract/webhooks.js';
import { ERROR_STATUS, type ErrorCode } from '../errors.js';
import { routeOf } from './contract-routes.js';

type JsonSchema = Record<string, unknown>;

interface RouteDoc {
  summary: string;
  who: string;
  errors: ErrorCode[];
  /** Who signs the call: a user or guest bearer (default), optionally one, or LiveKit. */
  auth?: 'user' | 'optional' | 'livekit';
}

const MEETING: ErrorCode[] = ['MEETING_NOT_FOUND'];
const MODERATOR: ErrorCode[] = ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'];
const IN_ROOM: ErrorCode[] = ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEDIA_SERVER_UNAVAILABLE'];

const DOCS: Record<RouteKey, RouteDoc> = {
  'GET /healthz': { summary: 'The process answers', who: 'anyone', errors: [], auth: 'optional' },
  'GET /readyz': { summary: 'The database answers (503 with database "unreachable" otherwise)', who: 'anyone', errors: [], auth: 'optional' },
  'GET /openapi.json': { summary: 'This document', who: 'anyone', errors: [], auth: 'optional' },
  'POST /dev/session': { summary: 'Development sign-in (MEETING_DEV_MODE only)', who: 'anyone', errors: ['NOT_FOUND'], auth: 'optional' },
  'POST /meetings': { summary: 'Create a meeting; the caller becomes its host', who: 'any signed-in user', errors: ['AUTH_REQUIRED', 'INVALID_TOKEN'] },
  'GET /meetings/:id': { summary: 'A meeting', who: 'anyone allowed to join', errors: ['MEETING_NOT_FOUND', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED'], auth: 'optional' },
  'PATCH /meetings/:id': { summary: 'Change title or policy', who: 'host, co-host', errors: [...MODERATOR, 'MEETING_ENDED'] },
  'DELETE /meetings/:id': { summary: 'Delete a meeting', who: 'host', errors: MODERATOR },
  'POST /meetings/:id/start': { summary: 'Start the meeting', who: 'host, co-host', errors: [...MODERATOR, 'MEETING_ENDED', 'MEETING_ALREADY_ACTIVE'] },
  'POST /meetings/:id/end': { summary: 'End the meeting; everyone is disconnected', who: 'host', errors: MODERATOR },
  'GET /meetings/:id/status': { summary: 'Status and counts', who: 'anyone allowed to join', errors: MEETING, auth: 'optional' },
  'POST /meetings/:id/lock': { summary: 'Lock the meeting', who: 'host, co-host', errors: [...MODERATOR, 'MEETING_ENDED'] },
  'POST /meetings/:id/unlock': { summary: 'Unlock the meeting', who: 'host, co-host', errors: [...MODERATOR, 'MEETING_ENDED'] },
  'POST /meetings/:id/join': {
    summary: 'Join: a LiveKit token now (200), or a place in the waiting room (202)',
    who: 'per policy; guests when allowAnonymous',
    errors: ['MEETING_NOT_FOUND', 'MEETING_NOT_ACTIVE', 'MEETING_ENDED', 'MEETING_LOCKED', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED', 'MAX_PARTICIPANTS_REACHED', 'ADMISSION_DENIED', 'BREAKOUT_RETURN_NOT_ALLOWED', 'MEDIA_SERVER_UNAVAILABLE'],
    auth: 'optional',
  },
  'POST /meetings/:id/leave': { summary: 'Leave, freeing the seat', who: 'a participant', errors: ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'AUTH_REQUIRED'], auth: 'optional' },
  'GET /meetings/:id/participants': { summary: 'People present', who: 'participants, hosts', errors: MODERATOR, auth: 'optional' },
  'GET /meetings/:id/waiting': { summary: 'People waiting', who: 'host, co-host', errors: MODERATOR },
  'GET /meetings/:id/waiting/:waitingId': {
    summary: "A waiter's answer; long-polls with ?wait=N. An admission yields one token: a replayed waitingId answers PARTICIPANT_NOT_FOUND (join again)",
    who: 'that waiter',
    errors: [...MODERATOR, 'PARTICIPANT_NOT_FOUND', 'ADMISSION_DENIED', 'MEETING_LOCKED', 'MEETING_ENDED'],
    auth: 'optional',
  },
  'POST /meetings/:id/waiting/:waitingId/admit': { summary: 'Let a waiter in', who: 'host, co-host', errors: [...MODERATOR, 'PARTICIPANT_NOT_FOUND', 'MAX_PARTICIPANTS_REACHED'] },
  'POST /meetings/:id/waiting/:waitingId/deny': { summary: 'Turn a waiter away', who: 'host, co-host', errors: [...MODERATOR, 'PARTICIPANT_NOT_FOUND'] },
  'POST /meetings/:id/participants/:identity/mute': { summary: "Mute a participant's source", who: 'host, co-host', errors: IN_ROOM },
  'POST /meetings/:id/participants/:identity/remove': { summary: 'Remove a participant (final until a host lifts it)', who: 'host, co-host', errors: IN_ROOM },
  'PUT /meetings/:id/participants/:identity/role': { summary: 'Make or unmake a co-host', who: 'host', errors: IN_ROOM },
  'GET /meetings/:id/removals': { summary: 'People removed from the meeting (refused with ADMISSION_DENIED until lifted)', who: 'host, co-host', errors: MODERATOR },
  'DELETE /meetings/:id/removals/:identity': { summary: 'Lift a removal: the person may join (or knock) again', who: 'host, co-host', errors: [...MODERATOR, 'PARTICIPANT_NOT_FOUND', 'MEETING_ENDED'] },
  'POST /meetings/:id/hand': {
    summary: "Raise or lower your hand; the room sees it as the participant's hand attribute, set by the server",
    who: 'a participant',
    errors: [...MODERATOR, 'MEETING_ENDED', 'MEDIA_SERVER_UNAVAILABLE'],
    auth: 'optional',
  },
  'POST /meetings/:id/hands/lower': {
    summary: "Lower everyone's raised hand (or the listed people's); answers with those lowered (extension beyond v1.1)",
    who: 'host, co-host',
    errors: [...MODERATOR, 'MEETING_ENDED', 'MEDIA_SERVER_UNAVAILABLE'],
  },
  'GET /meetings/:id/chat': { summary: 'Chat history', who: 'participants', errors: MODERATOR, auth: 'optional' },
  'POST /meetings/:id/chat': { summary: 'Send a message (stored, then delivered to the room)', who: 'participants, per policy.chat', errors: [...MODERATOR, 'FEATURE_DISABLED', 'MEETING_ENDED'], auth: 'optional' },
  'POST /meetings/:id/invitations': { summary: 'Invite by e-mail or user id', who: 'host, co-host', errors: [...MODERATOR, 'MEETING_ENDED'] },
  'GET /invitations': { summary: "The caller's invitations", who: 'the signed-in user', errors: ['AUTH_REQUIRED'] },
  'POST /invitations/:id/accept': { summary: 'Accept an invitation', who: 'the invitee', errors: ['INVITATION_NOT_FOUND', 'AUTH_REQUIRED'] },
  'POST /invitations/:id/decline': { summary: 'Decline an invitation', who: 'the invitee', errors: ['INVITATION_NOT_FOUND', 'AUTH_REQUIRED'] },
  'POST /meetings/:id/recordings/start': { summary: 'Start recording (idempotent)', who: 'host, co-host, per policy.recording', errors: [...MODERATOR, 'FEATURE_DISABLED', 'MEETING_NOT_ACTIVE', 'MEDIA_SERVER_UNAVAILABLE'] },
  'POST /meetings/:id/recordings/stop': { summary: 'Stop recording', who: 'host, co-host', errors: [...MODERATOR, 'FEATURE_DISABLED', 'RECORDING_NOT_ACTIVE', 'MEDIA_SERVER_UNAVAILABLE'] },
  'GET /meetings/:id/recordings': { summary: 'Recordings', who: 'participants, hosts', errors: [...MODERATOR, 'AUTH_REQUIRED'] },
  'GET /meetings/:id/recordings/:recordingId/file': {
    summary:
      'The recording\'s file, as an attachment (Range requests answered). A recording stored elsewhere (LiveKit Egress to S3: its location is a URL) answers 302 to that location',
    who: 'participants, hosts (the same people as GET /meetings/:id/recordings)',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'RECORDING_NOT_FOUND', 'RECORDING_NOT_READY'],
  },
  'GET /meetings/:id/polls': { summary: "The meeting's polls with their results and the caller's vote", who: 'participants; hosts and co-hosts from outside the call', errors: [...MODERATOR, 'AUTH_REQUIRED'], auth: 'optional' },
  'POST /meetings/:id/polls': { summary: 'Start a poll; the room sees its results live', who: 'participants, per policy.polls', errors: [...MODERATOR, 'AUTH_REQUIRED', 'FEATURE_DISABLED', 'MEETING_ENDED'], auth: 'optional' },
  'POST /meetings/:id/polls/:pollId/votes': {
    summary: 'Vote by option index; a new vote replaces the old while the poll is open',
    who: 'participants',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'POLL_NOT_FOUND', 'POLL_CLOSED', 'MEETING_ENDED'],
    auth: 'optional',
  },
  'POST /meetings/:id/polls/:pollId/close': { summary: 'Close a poll (closing it again answers it again)', who: 'host, co-host, or whoever started it', errors: [...MODERATOR, 'AUTH_REQUIRED', 'POLL_NOT_FOUND'], auth: 'optional' },
  'POST /meetings/:id/breakouts': {
    summary: 'Open breakout rooms (1..50, as listed or `split: N` at random among the people present); opening again replaces the open ones. The meeting hears of it on the breakouts data topic',
    who: 'host, co-host, per policy.breakoutRooms',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'FEATURE_DISABLED', 'MEETING_ENDED'],
    auth: 'optional',
  },
  'GET /meetings/:id/breakouts': {
    summary: 'The open breakout rooms with how many are in each; an attendee sees only their own room',
    who: 'participants, hosts, co-hosts',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'FEATURE_DISABLED', 'BREAKOUTS_NOT_OPEN'],
    auth: 'optional',
  },
  'POST /meetings/:id/breakouts/close': {
    summary: 'Close the breakout rooms: everyone is told to go back, and the rooms are deleted a few seconds later',
    who: 'host, co-host',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'BREAKOUTS_NOT_OPEN'],
    auth: 'optional',
  },
  'POST /meetings/:id/breakouts/broadcast': {
    summary: 'Send a message (1..500 characters) to the main room and every open breakout room on the breakouts data topic; answers how many rooms it reached',
    who: 'host, co-host, per policy.breakoutRooms',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'FEATURE_DISABLED', 'BREAKOUTS_NOT_OPEN', 'MEETING_ENDED'],
    auth: 'optional',
  },
  'POST /meetings/:id/breakouts/:roomId/join': {
    summary: "A token for one breakout room, on the caller's seat in the meeting (same role and grants as in the meeting)",
    who: 'the people assigned to that room, hosts, co-hosts; only while they hold a seat in the meeting',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'FEATURE_DISABLED', 'BREAKOUTS_NOT_OPEN', 'MEETING_ENDED', 'MEDIA_SERVER_UNAVAILABLE', 'RATE_LIMITED'],
    auth: 'optional',
  },
  'GET /meetings/:id/breakouts/:roomId/chat': {
    summary: "A breakout room's own chat (?after=<id>&limit=N), oldest first; the main room's chat is not in it",
    who: 'the people assigned to that room, hosts, co-hosts (while they hold a seat in the meeting)',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'BREAKOUTS_NOT_OPEN', 'VALIDATION_FAILED'],
    auth: 'optional',
  },
  'POST /meetings/:id/breakouts/:roomId/chat': {
    summary: "Send a message (1..4000 characters) to a breakout room's chat: stored as that room's and delivered to that room only",
    who: 'the people assigned to that room, hosts, co-hosts, per policy.chat; only while the room is open',
    errors: [...MODERATOR, 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'FEATURE_DISABLED', 'BREAKOUTS_NOT_OPEN', 'MEETING_ENDED', 'RATE_LIMITED'],
    auth: 'optional',
  },
  'GET /meetings/:id/events': {
    summary: 'Server-sent events: status, meeting, waiting list, admission, removed (then the stream ends)',
    who: 'participants, hosts, waiters',
    errors: [...MODERATOR, 'RATE_LIMITED'],
    auth: 'optional',
  },
  'GET /meetings/:id/card': {
    summary: 'A meeting as a chat message shows it: title, status, times, how many are in and up to five of them',
    who: 'anyone allowed to join (not strangers to a meeting with a waiting room), invitees, people who were in it',
    errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'INVALID_TOKEN'],
    auth: 'optional',
  },
  'GET /events': {
    summary: 'Server-sent `card` events for up to 100 meetings on one connection (?meetings=<id>,<id>…): each card at once, then on every change. Refused as a whole when one id is unknown or not allowed (details name them)',
    who: 'as GET /meetings/{id}/card, for each meeting',
    errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED', 'ADMISSION_DENIED', 'INVALID_TOKEN'],
    auth: 'optional',
  },
  'POST /livekit/webhook': { summary: "LiveKit's webhooks (signed with the LiveKit API key)", who: 'LiveKit', errors: ['INVALID_TOKEN'], auth: 'livekit' },
};

/** Refusals any route may answer. */
const COMMON: ErrorCode[] = ['VALIDATION_FAILED', 'RATE_LIMITED', 'DATABASE_UNAVAILABLE'];

/** The objects shown as named components; the document refers to them wherever they appear. */
const NAMED: Record<string, z.ZodType> = {
  Policy: policySchema,
  Meeting: objects.meetingSchema,
  MeetingStatus: objects.meetingStatusInfoSchema,
  Admission: objects.admissionSchema,
  Waiting: objects.waitingSchema,
  WaitingAnswer: objects.waitingAnswerSchema,
  WaitingDecision: objects.waitingDecisionSchema,
  Waiter: objects.waiterSchema,
  Participant: objects.participantSchema,
  Invitation: objects.invitationSchema,
  Recording: objects.recordingSchema,
  Hand: objects.handSchema,
  LoweredHands: objects.loweredHandsSchema,
  Removal: objects.removalSchema,
  ChatMessage: objects.chatMessageSchema,
  Poll: objects.pollSchema,
  BreakoutSession: objects.breakoutSessionSchema,
  BreakoutToken: objects.breakoutTokenSchema,
  SentChatMessage: objects.sentChatMessageSchema,
  Error: objects.errorSchema(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
  ...webhookBodies(),
};

/** Each outgoing webhook's body as a named object: `meeting.started` → MeetingStartedWebhook. */
function webhookName(type: WebhookEventType): string {
  return `${type.replace(/(^|\.)(\w)/g, (_all, _dot: string, letter: string) => letter.toUpperCase())}Webhook`;
}

function webhookBodies(): Record<string, z.ZodType> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [webhookName(type), z.object({ type: z.literal(type), timestamp: z.iso.datetime(), data: WEBHOOK_EVENT_DATA[type] })]),
  );
}

/** OpenAPI 3.1's `webhooks`: what the server POSTs to WEBHOOK_URL, signed as Standard Webhooks. */
function webhooks(): Record<string, JsonSchema> {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type}, to WEBHOOK_URL`,
          description: 'Standard Webhooks: verify webhook-signature with your WEBHOOK_SECRET (any Standard Webhooks library), then drop repeats by webhook-id (delivery is at least once, in order per meeting).',
          parameters: [
            header('webhook-id', 'The event id, the same on every attempt'),
            header('webhook-timestamp', 'When this attempt was signed, in seconds since the epoch'),
            header('webhook-signature', 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">'),
          ],
          requestBody: { required: true, ...json({ $ref: componentUri(webhookName(type)) }) },
          responses: { '2XX': { description: 'Received; any other answer is retried with backoff' } },
        },
      },
    ]),
  );
}

const componentUri = (id: string) => `#/components/schemas/${id}`;

function components(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: componentUri, unrepresentable: 'any' }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

function inline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** An answer's schema: a reference to a named object (or a list of them) where there is one. */
function answer(schema: z.ZodType): JsonSchema {
  const name = (value: z.ZodType) => Object.entries(NAMED).find(([, named]) => named === value)?.[0];
  const direct = name(schema);
  if (direct !== undefined) return { $ref: componentUri(direct) };
  if (schema instanceof z.ZodArray) {
    const item = name(schema.element as z.ZodType);
    if (item !== undefined) return { type: 'array', items: { $ref: componentUri(item) } };
  }
  return inline(schema, 'output');
}

const json = (content: JsonSchema) => ({ content: { 'application/json': { schema: content } } });

function operation(route: RouteKey, shape: RouteShape, doc: RouteDoc, openApiPath: string, method: string): JsonSchema {
  const pathSchemas = (shape.params === undefined ? {} : ((inline(shape.params, 'input').properties ?? {}) as Record<string, JsonSchema>));
  const parameters: JsonSchema[] = [...openApiPath.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({ name, in: 'path', required: true, schema: pathSchemas[name] ?? { type: 'string' } }));
  if (shape.query !== undefined) {
    const query = inline(shape.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, value] of Object.entries(query.properties ?? {})) parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: value });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries<z.ZodType | null>(shape.ok)) {
    if (shape.stream === true) responses[status] = { description: 'Success: a stream of server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } };
    else if (shape.file === true) responses[status] = { description: 'Success: the file', content: { 'video/webm': { schema: { type: 'string', format: 'binary' } }, 'video/mp4': { schema: { type: 'string', format: 'binary' } } } };
    else responses[status] = { description: 'Success', ...(schema === null ? {} : json(answer(schema))) };
  }
  for (const code of new Set([...doc.errors, ...COMMON])) {
    const status = String(ERROR_STATUS[code]);
    const existing = responses[status] as { description: string } | undefined;
    responses[status] = { description: existing ? `${existing.description}, ${code}` : code, ...json({ $ref: componentUri('Error') }) };
  }
  return {
    operationId: `${method}${openApiPath.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+/g, '_')}`,
    summary: doc.summary,
    description: `Who: ${doc.who}.`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(shape.body !== undefined ? { requestBody: { required: !(shape.body instanceof z.ZodOptional), ...json(inline(shape.body, 'input')) } } : {}),
    responses,
    security: doc.auth === 'optional' ? [{}, { bearer: [] }] : doc.auth === 'livekit' ? [{ livekitWebhook: [] }] : [{ bearer: [] }],
    'x-route': route,
  };
}

/** The express path of a route in OpenAPI's notation: `/meetings/:id` → `/meetings/{id}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [route, shape] of Object.entries(ROUTES) as Array<[RouteKey, RouteShape]>) {
    const { method, path } = routeOf(route);
    const documented = openApiPath(path);
    (paths[documented] ??= {})[method] = operation(route, shape, DOCS[route], documented, method);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'meeting-widget token and policy server',
      version: '1.1',
      description: 'Meetings, admission, roles and policies; issues LiveKit tokens whose grants enforce them. Errors carry a stable code.',
    },
    servers: [{ url: '/api/v1' }],
    paths,
    webhooks: webhooks(),
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Your users' tokens (AUTH_JWT_SECRET or AUTH_JWKS_URL), or a guest token from join" },
        livekitWebhook: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'LiveKit signs its webhooks with the API key; the sha256 claim covers the body' },
      },
    },
  };
}
