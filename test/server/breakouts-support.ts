// What the breakout suites share: their setup (breakoutSuite), calls to the breakout and chat
// routes, and recorders of what the media server delivers to a room (the real delivery path, observed).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakoutSession, BreakoutToken } from '../../src/contract/index.js';
import type { MediaServer } from '../../server/src/media/media-server.js';
import type { BreakoutPacket } from '../../server/src/services/breakout-rooms.js';
import { api, type JsonResponse } from '../support/app.js';
import type { TestBackend } from '../support/databases.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { connectRaw, type RawParticipant } from './helpers/raw-participant.js';
import { recordRoomDeliveries } from './helpers/room-deliveries.js';

type Refusal = { error?: { code: string; message: string; details?: Array<{ field: string; message: string }> } };
export type SessionAnswer = BreakoutSession & Refusal;
export type TokenAnswer = BreakoutToken & Refusal;
export type BroadcastAnswer = { delivered?: number } & Refusal;

export interface BreakoutCalls {
  open(meetingId: string, token: string | undefined, body: unknown): Promise<JsonResponse<SessionAnswer>>;
  get(meetingId: string, token?: string): Promise<JsonResponse<SessionAnswer>>;
  close(meetingId: string, token?: string): Promise<JsonResponse<SessionAnswer>>;
  join(meetingId: string, roomId: string, token?: string): Promise<JsonResponse<TokenAnswer>>;
  broadcast(meetingId: string, token: string | undefined, body: unknown): Promise<JsonResponse<BroadcastAnswer>>;
}

export function breakoutCalls(baseUrl: string): BreakoutCalls {
  const auth = (token?: string) => (token === undefined ? {} : { token });
  return {
    open: (meetingId, token, body) => api<SessionAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts`, { ...auth(token), body }),
    get: (meetingId, token) => api<SessionAnswer>(baseUrl, 'GET', `/meetings/${meetingId}/breakouts`, auth(token)),
    close: (meetingId, token) => api<SessionAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/close`, auth(token)),
    join: (meetingId, roomId, token) => api<TokenAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/${roomId}/join`, auth(token)),
    broadcast: (meetingId, token, body) => api<BroadcastAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/broadcast`, { ...auth(token), body }),
  };
}

export interface BreakoutPushes {
  readonly packets: BreakoutPacket[];
  /** Resolves with the first packet (already delivered or still to come) that matches. */
  next(match: (packet: BreakoutPacket) => boolean, timeoutMs?: number): Promise<BreakoutPacket>;
  stop(): void;
}

/** Records what the media server delivers to `roomName` on the `breakouts` topic (the room is created if needed). */
export function recordBreakoutPushes(media: MediaServer, roomName: string): BreakoutPushes {
  const recorder = recordRoomDeliveries(media, roomName, ({ topic, text }) => (topic === 'breakouts' ? (JSON.parse(text) as BreakoutPacket) : undefined));
  return { packets: recorder.items, next: (match, timeoutMs) => recorder.next(match, timeoutMs), stop: () => { recorder.stop(); } };
}

/** A data packet the media server delivered to a room: its topic, its payload read as JSON, and who was connected to receive it. */
export interface DeliveredData {
  topic: string;
  body: Record<string, unknown>;
  to: string[];
}

export interface RoomData {
  readonly delivered: DeliveredData[];
  /** Resolves with the first delivery (already made or still to come) that matches. */
  next(match: (data: DeliveredData) => boolean, timeoutMs?: number): Promise<DeliveredData>;
  stop(): void;
}

/** Records what the media server delivers in `roomName` on `topics` and to whom (the room is created if needed). */
export function recordRoomData(media: MediaServer, roomName: string, topics: readonly string[]): RoomData {
  const recorder = recordRoomDeliveries(media, roomName, ({ topic, text, room, destinations, exceptIdentity }) => {
    if (!topics.includes(topic)) return undefined;
    const to = room
      .participants()
      .map((session) => session.identity)
      .filter((identity) => identity !== exceptIdentity && (destinations.length === 0 || destinations.includes(identity)));
    return { topic, body: JSON.parse(text) as Record<string, unknown>, to };
  });
  return { delivered: recorder.items, next: (match, timeoutMs) => recorder.next(match, timeoutMs), stop: () => { recorder.stop(); } };
}

export type ChatAnswer = { id: string; identity: string; displayName: string; text: string; sentAt: string; delivered?: boolean } & Refusal;
export type ChatList = Array<{ id: string; identity: string; displayName: string; text: string; sentAt: string }> & Refusal;

export interface ChatCalls {
  /** `roomId` null: the meeting's main chat. */
  send(meetingId: string, roomId: string | null, token: string | undefined, body: unknown): Promise<JsonResponse<ChatAnswer>>;
  list(meetingId: string, roomId: string | null, token: string | undefined, query?: string): Promise<JsonResponse<ChatList>>;
}

export function chatCalls(baseUrl: string): ChatCalls {
  const auth = (token?: string) => (token === undefined ? {} : { token });
  const path = (meetingId: string, roomId: string | null) => (roomId === null ? `/meetings/${meetingId}/chat` : `/meetings/${meetingId}/breakouts/${roomId}/chat`);
  return {
    send: (meetingId, roomId, token, body) => api<ChatAnswer>(baseUrl, 'POST', path(meetingId, roomId), { ...auth(token), body }),
    list: (meetingId, roomId, token, query = '') => api<ChatList>(baseUrl, 'GET', `${path(meetingId, roomId)}${query}`, auth(token)),
  };
}

/** Breakout rooms are deleted this long after a close in these suites (the server's default is 5 s, which a test would sit through). */
export const TEST_BREAKOUT_GRACE_MS = 300;

/** Someone signed in and joined to a meeting: their bearer token, identity and main-room LiveKit token. */
export interface Person {
  token: string;
  identity: string;
  livekit: string;
}

export interface BreakoutSuite {
  /** The token server with the embedded media server as its LiveKit, started in the suite's `before`. */
  readonly stack: MediaStack;
  readonly breakouts: BreakoutCalls;
  readonly chat: ChatCalls;
  /** `name` signed in (or the bearer `token` given) and joined to the meeting under that name. */
  readonly person: (meetingId: string, name: string, token?: string) => Promise<Person>;
  /** Several people joined at once, in the order of `names`. */
  readonly people: (meetingId: string, names: readonly string[]) => Promise<Person[]>;
  /** A raw signalling connection to the media server, closed after the suite. */
  readonly raw: (token: string) => Promise<RawParticipant>;
  /** `who` gets a token for breakout room `roomId` and connects there with it. */
  readonly enter: (meetingId: string, roomId: string, who: Person) => Promise<RawParticipant>;
  /** What the media server delivers in `roomName` on `topics`, recorded until the suite ends. */
  readonly record: (roomName: string, topics?: readonly string[]) => RoomData;
}

/**
 * The breakout suites' setup, once: registers the enclosing describe's `before` (a stack as LiveKit
 * should run, room.auto_create off: only rooms the token server made exist) and `after` (every
 * socket and recorder the suite made, then the stack).
 */
export function breakoutSuite(backend: TestBackend, env: Record<string, string> = {}): BreakoutSuite {
  let stack: MediaStack | undefined;
  let calls: { breakouts: BreakoutCalls; chat: ChatCalls } | undefined;
  const sockets: RawParticipant[] = [];
  const recorders: RoomData[] = [];
  const started = () => {
    if (stack === undefined || calls === undefined) throw new Error('the breakout suite has not started (used outside a test?)');
    return { stack, ...calls };
  };
  before(async () => {
    stack = await startMediaStack(backend, { LIVEKIT_CREATE_ROOMS: '1', ...env }, { autoCreateRooms: false }, { breakoutGraceMs: TEST_BREAKOUT_GRACE_MS });
    calls = { breakouts: breakoutCalls(stack.app.url), chat: chatCalls(stack.app.url) };
  });
  after(async () => {
    for (const recorder of recorders) recorder.stop();
    for (const socket of sockets) socket.close();
    await stack?.close();
  });
  const suite: BreakoutSuite = {
    get stack() {
      return started().stack;
    },
    get breakouts() {
      return started().breakouts;
    },
    get chat() {
      return started().chat;
    },
    person: async (meetingId, name, token) => {
      const bearer = token ?? (await started().stack.user(name));
      const joined = await started().stack.join(meetingId, bearer, { displayName: name });
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
      return { token: bearer, identity: joined.body.identity, livekit: joined.body.token };
    },
    people: (meetingId, names) => Promise.all(names.map((name) => suite.person(meetingId, name))),
    raw: async (token) => {
      const socket = await connectRaw(started().stack.media.url, token);
      sockets.push(socket);
      return socket;
    },
    enter: async (meetingId, roomId, who) => {
      const ticket = await started().breakouts.join(meetingId, roomId, who.token);
      assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
      return suite.raw(ticket.body.token);
    },
    record: (roomName, topics = ['chat', 'polls']) => {
      const recorder = recordRoomData(started().stack.media, roomName, topics);
      recorders.push(recorder);
      return recorder;
    },
  };
  return suite;
}
