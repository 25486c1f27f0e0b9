// Chat: the meeting's main chat, and one chat per breakout room. A breakout room's chat belongs to
// that room: stored as its own, delivered by the server to that room's people only, read there and
// nowhere else (the main room's chat is not shown in a breakout room, nor a breakout room's in the
// main room). The meeting's rules hold in every room: policy.chat, the rate limit, removal, the end.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { ChatMessage } from '../../../src/contract/index.js';
import type { Database } from '../db/database.js';
import { mayChat } from '../domain/permissions.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import { findBreakoutRoom, isAssignedTo } from '../store/breakouts.js';
import { insertChatMessage, listChatMessages } from '../store/chat.js';
import { holdsSlot, lastDisplayName } from '../store/participants.js';
import { isRemoved } from '../store/removals.js';
import { assertNotEnded, loadAccess, type MeetingAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { input, on, reply } from './contract-routes.js';

/** The data-channel topic the widget listens on for chat. */
export const CHAT_TOPIC = 'chat';

export interface ChatDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
  limit: RateLimiter;
}

/** Where a message goes: the meeting's main chat (breakoutRoomId null) or a breakout room's. */
interface ChatPlace {
  breakoutRoomId: string | null;
  /** The media-server room its people are in. */
  roomName: string;
}

export function chatRoutes(deps: ChatDeps, router: Router = Router()): Router {
  const { db } = deps;

  async function assertInMeeting(access: MeetingAccess): Promise<{ identity: string }> {
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to use the chat.');
    if (!isModerator(access.role) && !(await holdsSlot(db, access.meeting.id, access.identity))) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only participants can use this meeting’s chat.');
    }
    return { identity: access.identity };
  }

  /**
   * A breakout room's chat is for the people assigned to that room, hosts and co-hosts, while they
   * are in the meeting; `forSending` also needs the room open (its history stays readable to them).
   */
  async function breakoutPlace(access: MeetingAccess, roomId: string, forSending: boolean): Promise<ChatPlace & { identity: string }> {
    const { meeting } = access;
    // A removal is said as such (as the breakout routes do), before the seat it took away.
    if (access.identity !== null && (await isRemoved(db, meeting.id, access.identity))) throw new ApiError('ADMISSION_DENIED', 'A host removed you from this meeting.');
    const { identity } = await assertInMeeting(access);
    if (forSending) assertNotEnded(meeting);
    const room = await findBreakoutRoom(db, meeting.id, roomId);
    if (room === null) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This meeting has no such breakout room.');
    if (!isModerator(access.role) && !(await isAssignedTo(db, room.id, identity))) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the people assigned to this breakout room, hosts and co-hosts use its chat.');
    }
    const open = room.status === 'open' && (room.closesAt === null || Date.parse(room.closesAt) > Date.now());
    if (forSending && !open) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This breakout room is closed.');
    return { identity, breakoutRoomId: room.id, roomName: room.roomName };
  }

  async function history(access: MeetingAccess, place: ChatPlace, after: string | undefined, limit: number): Promise<ChatMessage[]> {
    const messages = await listChatMessages(db, access.meeting.id, after, limit, place.breakoutRoomId);
    if (messages === null) {
      throw new ApiError('VALIDATION_FAILED', 'The request query is not valid.', [{ field: 'query.after', message: 'names no message of this chat' }]);
    }
    return messages;
  }

  async function send(access: MeetingAccess, identity: string, place: ChatPlace, text: string): Promise<ChatMessage & { delivered: boolean }> {
    assertNotEnded(access.meeting);
    if (!mayChat(access.role, access.meeting.policy)) {
      throw new ApiError('FEATURE_DISABLED', access.meeting.policy.chat === 'nobody' ? 'Chat is off in this meeting.' : 'Only hosts can chat in this meeting.');
    }
    const displayName = (await lastDisplayName(db, access.meeting.id, identity)) ?? (access.caller?.kind === 'user' ? (access.caller.name ?? 'Host') : 'Guest');
    const message = await insertChatMessage(db, { meetingId: access.meeting.id, identity, displayName, text, breakoutRoomId: place.breakoutRoomId });

    // The message is kept whatever happens next; if the room cannot be reached now, clients still
    // find it in the history they load on (re)connect.
    let delivered = true;
    try {
      const payload = new TextEncoder().encode(JSON.stringify({ type: 'chat', ...message }));
      await deps.roomService.sendData(place.roomName, payload, { topic: CHAT_TOPIC });
    } catch (err) {
      delivered = false;
      deps.logger.warn({ err, meetingId: access.meeting.id, breakoutRoomId: place.breakoutRoomId }, 'chat message stored but not delivered to the room');
    }
    return { ...message, delivered };
  }

  on(router, 'GET /meetings/:id/chat', async (req, res) => {
    const query = input('GET /meetings/:id/chat', 'query', req.query);
    const access = await loadAccess(db, req.params, res);
    await assertInMeeting(access);
    reply(res, 'GET /meetings/:id/chat', 200, await history(access, { breakoutRoomId: null, roomName: access.meeting.roomName }, query.after, query.limit));
  });

  on(router, 'POST /meetings/:id/chat', deps.limit('chat'), async (req, res) => {
    const body = input('POST /meetings/:id/chat', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    const { identity } = await assertInMeeting(access);
    reply(res, 'POST /meetings/:id/chat', 201, await send(access, identity, { breakoutRoomId: null, roomName: access.meeting.roomName }, body.text));
  });

  on(router, 'GET /meetings/:id/breakouts/:roomId/chat', async (req, res) => {
    const { roomId } = input('GET /meetings/:id/breakouts/:roomId/chat', 'params', req.params);
    const query = input('GET /meetings/:id/breakouts/:roomId/chat', 'query', req.query);
    const access = await loadAccess(db, req.params, res);
    const place = await breakoutPlace(access, roomId, false);
    reply(res, 'GET /meetings/:id/breakouts/:roomId/chat', 200, await history(access, place, query.after, query.limit));
  });

  on(router, 'POST /meetings/:id/breakouts/:roomId/chat', deps.limit('chat'), async (req, res) => {
    const { roomId } = input('POST /meetings/:id/breakouts/:roomId/chat', 'params', req.params);
    const body = input('POST /meetings/:id/breakouts/:roomId/chat', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    const place = await breakoutPlace(access, roomId, true);
    reply(res, 'POST /meetings/:id/breakouts/:roomId/chat', 201, await send(access, place.identity, place, body.text));
  });

  return router;
}
