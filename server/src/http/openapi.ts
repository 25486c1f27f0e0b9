// The HTTP contract as an OpenAPI 3.1 document. Request schemas come from the very zod schemas the
// routes validate with, so the document cannot drift from what the server accepts.
import { z } from 'zod';
import { policySchema } from '../domain/policy.js';
import { ERROR_STATUS } from '../errors.js';
import { chatBody, chatQuery } from './chat-routes.js';
import { devSessionBody } from './dev-routes.js';
import { inviteBody } from './invitation-routes.js';
import { createBody, patchBody } from './meeting-routes.js';
import { muteBody, roleBody } from './moderation-routes.js';
import { joinBody } from './participation-routes.js';
import { pollQuery } from './waiting-routes.js';
import { handBody } from './hand-routes.js';
import { pollBody, voteBody } from './poll-routes.js';

type JsonSchema = Record<string, unknown>;

const role = z.enum(['host', 'co-host', 'attendee']);
const when = z.iso.datetime();

/** Response objects, written once here as the contract describes them. */
const objects = {
  Policy: policySchema,
  Meeting: z.object({
    id: z.uuid(),
    title: z.string(),
    status: z.enum(['scheduled', 'active', 'ended']),
    hostId: z.string(),
    roomName: z.string(),
    createdAt: when,
    startedAt: when.nullable(),
    endedAt: when.nullable(),
    policy: policySchema,
    participantCount: z.int(),
  }),
  MeetingStatus: z.object({ status: z.enum(['scheduled', 'active', 'ended']), participantCount: z.int(), waitingCount: z.int(), locked: z.boolean() }),
  Admission: z.object({ token: z.string(), livekitUrl: z.string(), identity: z.string(), role, guestToken: z.string().optional() }),
  Waiting: z.object({ status: z.literal('waiting'), waitingId: z.uuid(), guestToken: z.string().optional() }),
  WaitingAnswer: z.object({ status: z.enum(['waiting', 'admitted', 'denied']), token: z.string().optional(), livekitUrl: z.string().optional(), identity: z.string().optional(), role: role.optional() }),
  Waiter: z.object({ waitingId: z.uuid(), displayName: z.string(), email: z.string().nullable(), since: when }),
  Participant: z.object({ identity: z.string(), userId: z.string().nullable(), displayName: z.string(), role, joinedAt: when, leftAt: when.nullable() }),
  Invitation: z.object({
    id: z.uuid(),
    meetingId: z.uuid(),
    email: z.string().nullable(),
    userId: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'declined']),
    invitedBy: z.string(),
    createdAt: when,
  }),
  Recording: z.object({
    id: z.uuid(),
    meetingId: z.uuid(),
    status: z.enum(['starting', 'active', 'stopped', 'failed']),
    startedBy: z.string(),
    startedAt: when,
    endedAt: when.nullable(),
    location: z.string().nullable(),
  }),
  Hand: z.object({ identity: z.string(), raised: z.boolean(), raisedAt: when.nullable() }),
  Removal: z.object({ identity: z.string(), userId: z.string().nullable(), displayName: z.string(), removedBy: z.string(), removedAt: when }),
  Poll: z.object({
    id: z.uuid(),
    meetingId: z.uuid(),
    question: z.string(),
    options: z.array(z.object({ text: z.string(), votes: z.int() })),
    multiple: z.boolean(),
    anonymous: z.boolean(),
    status: z.enum(['open', 'closed']),
    createdBy: z.string().describe('identity of the participant who started it'),
    createdAt: when,
    closedAt: when.nullable(),
    voterCount: z.int(),
    revision: z.int().describe('goes up with every vote and the close: the higher revision is the newer'),
    myVote: z.array(z.int()).nullable().describe("the caller's own vote"),
    voters: z.array(z.object({ identity: z.string(), displayName: z.string(), options: z.array(z.int()) })).optional().describe('never for an anonymous poll'),
  }),
  ChatMessage: z.object({ id: z.uuid(), identity: z.string(), displayName: z.string(), text: z.string(), sentAt: when, delivered: z.boolean().optional() }),
  Error: z.object({
    error: z.object({ code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...Array<keyof typeof ERROR_STATUS>]), message: z.string(), details: z.unknown().optional() }),
  }),
};

function schema(value: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(value, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const ref = (name: keyof typeof objects) => ({ $ref: `#/components/schemas/${name}` });
const list = (name: keyof typeof objects) => ({ type: 'array', items: ref(name) });
const json = (content: JsonSchema) => ({ content: { 'application/json': { schema: content } } });

interface Operation {
  summary: string;
  who: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; schema?: JsonSchema; description?: string } | Array<{ status: number; schema: JsonSchema; description: string }>;
  errors: Array<keyof typeof ERROR_STATUS>;
  auth?: 'user' | 'optional' | 'livekit';
}

const COMMON: Array<keyof typeof ERROR_STATUS> = ['VALIDATION_FAILED', 'RATE_LIMITED'];

const ROUTES: Record<string, Record<string, Operation>> = {
  '/healthz': { get: { summary: 'The process answers', who: 'anyone', ok: { status: 200 }, errors: [], auth: 'optional' } },
  '/readyz': { get: { summary: 'The database answers', who: 'anyone', ok: { status: 200 }, errors: [], auth: 'optional' } },
  '/dev/session': { post: { summary: 'Development sign-in (MEETING_DEV_MODE only)', who: 'anyone', body: devSessionBody, ok: { status: 200, schema: { type: 'object', properties: { token: { type: 'string' } } } }, errors: ['NOT_FOUND'], auth: 'optional' } },
  '/meetings': { post: { summary: 'Create a meeting; the caller becomes its host', who: 'any signed-in user', body: createBody, ok: { status: 201, schema: ref('Meeting') }, errors: ['AUTH_REQUIRED', 'INVALID_TOKEN'] } },
  '/meetings/{id}': {
    get: { summary: 'A meeting', who: 'anyone allowed to join', ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED'], auth: 'optional' },
    patch: { summary: 'Change title or policy', who: 'host, co-host', body: patchBody, ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED'] },
    delete: { summary: 'Delete a meeting', who: 'host', ok: { status: 204 }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] },
  },
  '/meetings/{id}/start': { post: { summary: 'Start the meeting', who: 'host, co-host', ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED'] } },
  '/meetings/{id}/end': { post: { summary: 'End the meeting; everyone is disconnected', who: 'host', ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/meetings/{id}/status': { get: { summary: 'Status and counts', who: 'anyone allowed to join', ok: { status: 200, schema: ref('MeetingStatus') }, errors: ['MEETING_NOT_FOUND'], auth: 'optional' } },
  '/meetings/{id}/join': {
    post: {
      summary: 'Join: a LiveKit token now, or a place in the waiting room',
      who: 'per policy; guests when allowAnonymous',
      body: joinBody,
      ok: [
        { status: 200, schema: ref('Admission'), description: 'Admitted' },
        { status: 202, schema: ref('Waiting'), description: 'Waiting for a host' },
      ],
      errors: ['MEETING_NOT_FOUND', 'MEETING_NOT_ACTIVE', 'MEETING_ENDED', 'MEETING_LOCKED', 'DOMAIN_NOT_ALLOWED', 'AUTH_REQUIRED', 'MAX_PARTICIPANTS_REACHED', 'ADMISSION_DENIED', 'RATE_LIMITED', 'MEDIA_SERVER_UNAVAILABLE'],
      auth: 'optional',
    },
  },
  '/meetings/{id}/waiting': { get: { summary: 'People waiting', who: 'host, co-host', ok: { status: 200, schema: list('Waiter') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/meetings/{id}/waiting/{waitingId}': {
    get: {
      summary: "A waiter's answer; long-polls with ?wait=N. An admission yields one token: a replayed waitingId answers PARTICIPANT_NOT_FOUND (join again)",
      who: 'that waiter',
      query: pollQuery,
      ok: { status: 200, schema: ref('WaitingAnswer') },
      errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'PARTICIPANT_NOT_FOUND', 'ADMISSION_DENIED', 'MEETING_LOCKED', 'MEETING_ENDED'],
      auth: 'optional',
    },
  },
  '/meetings/{id}/waiting/{waitingId}/admit': { post: { summary: 'Let a waiter in', who: 'host, co-host', ok: { status: 200 }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MAX_PARTICIPANTS_REACHED'] } },
  '/meetings/{id}/waiting/{waitingId}/deny': { post: { summary: 'Turn a waiter away', who: 'host, co-host', ok: { status: 200 }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/meetings/{id}/leave': { post: { summary: 'Leave, freeing the slot', who: 'a participant', ok: { status: 200 }, errors: ['MEETING_NOT_FOUND'], auth: 'optional' } },
  '/meetings/{id}/participants': { get: { summary: 'People present', who: 'participants, hosts', ok: { status: 200, schema: list('Participant') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'], auth: 'optional' } },
  '/meetings/{id}/participants/{identity}/mute': { post: { summary: "Mute a participant's source", who: 'host, co-host', body: muteBody, ok: { status: 200 }, errors: ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEDIA_SERVER_UNAVAILABLE'] } },
  '/meetings/{id}/participants/{identity}/remove': { post: { summary: 'Remove a participant', who: 'host, co-host', ok: { status: 200 }, errors: ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEDIA_SERVER_UNAVAILABLE'] } },
  '/meetings/{id}/participants/{identity}/role': { put: { summary: 'Make or unmake a co-host', who: 'host', body: roleBody, ok: { status: 200, schema: ref('Participant') }, errors: ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEDIA_SERVER_UNAVAILABLE'] } },
  '/meetings/{id}/removals': { get: { summary: 'People removed from the meeting (refused with ADMISSION_DENIED until lifted)', who: 'host, co-host', ok: { status: 200, schema: list('Removal') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/meetings/{id}/removals/{identity}': { delete: { summary: 'Lift a removal: the person may join (or knock) again', who: 'host, co-host', ok: { status: 200 }, errors: ['MEETING_NOT_FOUND', 'PARTICIPANT_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED'] } },
  '/meetings/{id}/hand': { post: { summary: "Raise or lower your hand; the room sees it as the participant's hand attribute, set by the server", who: 'a participant', body: handBody, ok: { status: 200, schema: ref('Hand') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED', 'MEDIA_SERVER_UNAVAILABLE'], auth: 'optional' } },
  '/meetings/{id}/lock': { post: { summary: 'Lock the meeting', who: 'host, co-host', ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED'] } },
  '/meetings/{id}/unlock': { post: { summary: 'Unlock the meeting', who: 'host, co-host', ok: { status: 200, schema: ref('Meeting') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'MEETING_ENDED'] } },
  '/meetings/{id}/chat': {
    get: { summary: 'Chat history', who: 'participants', query: chatQuery, ok: { status: 200, schema: list('ChatMessage') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'], auth: 'optional' },
    post: { summary: 'Send a message (stored, then delivered to the room)', who: 'participants, per policy.chat', body: chatBody, ok: { status: 201, schema: ref('ChatMessage') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'FEATURE_DISABLED'], auth: 'optional' },
  },
  '/meetings/{id}/polls': {
    get: { summary: 'Polls with their results, the latest 100, in the order they were asked', who: 'participants', ok: { status: 200, schema: list('Poll') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'], auth: 'optional' },
    post: { summary: 'Start a poll; the room is told on the polls data topic', who: 'participants, per policy.polls', body: pollBody, ok: { status: 201, schema: ref('Poll') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'FEATURE_DISABLED', 'MEETING_ENDED'], auth: 'optional' },
  },
  '/meetings/{id}/polls/{pollId}/votes': { post: { summary: 'Vote by option index (one unless multiple); a new vote replaces the previous one while the poll is open', who: 'participants', body: voteBody, ok: { status: 200, schema: ref('Poll') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'POLL_NOT_FOUND', 'POLL_CLOSED', 'MEETING_ENDED'], auth: 'optional' } },
  '/meetings/{id}/polls/{pollId}/close': { post: { summary: 'Close a poll (closing twice answers the closed poll)', who: "host, co-host, the poll's creator", ok: { status: 200, schema: ref('Poll') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'POLL_NOT_FOUND'], auth: 'optional' } },
  '/meetings/{id}/invitations': { post: { summary: 'Invite by e-mail or user id', who: 'host, co-host', body: inviteBody, ok: { status: 201, schema: list('Invitation') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/invitations': { get: { summary: "The caller's invitations", who: 'the signed-in user', ok: { status: 200, schema: list('Invitation') }, errors: ['AUTH_REQUIRED'] } },
  '/invitations/{id}/accept': { post: { summary: 'Accept an invitation', who: 'the invitee', ok: { status: 200, schema: ref('Invitation') }, errors: ['INVITATION_NOT_FOUND'] } },
  '/invitations/{id}/decline': { post: { summary: 'Decline an invitation', who: 'the invitee', ok: { status: 200, schema: ref('Invitation') }, errors: ['INVITATION_NOT_FOUND'] } },
  '/meetings/{id}/recordings/start': { post: { summary: 'Start recording (idempotent)', who: 'host, co-host, per policy.recording', ok: { status: 200, schema: ref('Recording') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'FEATURE_DISABLED', 'MEETING_NOT_ACTIVE', 'MEDIA_SERVER_UNAVAILABLE'] } },
  '/meetings/{id}/recordings/stop': { post: { summary: 'Stop recording', who: 'host, co-host', ok: { status: 200, schema: ref('Recording') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'RECORDING_NOT_ACTIVE', 'MEDIA_SERVER_UNAVAILABLE'] } },
  '/meetings/{id}/recordings': { get: { summary: 'Recordings', who: 'participants, hosts', ok: { status: 200, schema: list('Recording') }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION'] } },
  '/meetings/{id}/events': { get: { summary: 'Server-sent events: status, meeting, waiting list, admission, removed (then the stream ends)', who: 'participants, hosts, waiters', ok: { status: 200, description: 'text/event-stream' }, errors: ['MEETING_NOT_FOUND', 'INSUFFICIENT_PERMISSION', 'RATE_LIMITED'], auth: 'optional' } },
  '/livekit/webhook': { post: { summary: "LiveKit's webhooks (signed with the LiveKit API key)", who: 'LiveKit', ok: { status: 200 }, errors: ['INVALID_TOKEN'], auth: 'livekit' } },
};

function operation(path: string, method: string, op: Operation): JsonSchema {
  const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: name === 'identity' ? { type: 'string', minLength: 1, maxLength: 128 } : { type: 'string', format: 'uuid' },
  }));
  if (op.query) {
    const query = schema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, value] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: value as never });
    }
  }
  const responses: Record<string, unknown> = {};
  for (const ok of Array.isArray(op.ok) ? op.ok : [op.ok]) {
    responses[String(ok.status)] = { description: ok.description ?? 'Success', ...(ok.schema ? json(ok.schema) : {}) };
  }
  for (const code of new Set([...op.errors, ...COMMON])) {
    const status = String(ERROR_STATUS[code]);
    const existing = responses[status] as { description: string } | undefined;
    responses[status] = { description: existing ? `${existing.description}, ${code}` : code, ...json(ref('Error')) };
  }
  return {
    operationId: `${method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+/g, '_')}`,
    summary: op.summary,
    description: `Who: ${op.who}.`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: !(op.body instanceof z.ZodOptional), ...json(schema(op.body)) } } : {}),
    responses,
    security: op.auth === 'optional' ? [{}, { bearer: [] }] : op.auth === 'livekit' ? [{ livekitWebhook: [] }] : [{ bearer: [] }],
  };
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [path, methods] of Object.entries(ROUTES)) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(path, method, op)]));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'meeting-widget token and policy server',
      version: '1',
      description: 'Meetings, admission, roles and policies; issues LiveKit tokens whose grants enforce them. Errors carry a stable code.',
    },
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(objects).map(([name, value]) => [name, schema(value)])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Your users' tokens (AUTH_JWT_SECRET or AUTH_JWKS_URL), or a guest token from join" },
        livekitWebhook: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'LiveKit signs its webhooks with the API key; the sha256 claim covers the body' },
      },
    },
  };
}
