import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { mayChat } from '../domain/permissions.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import { insertChatMessage, listChatMessages } from '../store/chat.js';
import { holdsSlot, lastDisplayName } from '../store/participants.js';
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

export function chatRoutes(deps: ChatDeps, router: Router = Router()): Router {
  const { db } = deps;

  async function assertInMeeting(access: MeetingAccess): Promise<{ identity: string }> {
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to use the chat.');
    if (!isModerator(access.role) && !(await holdsSlot(db, access.meeting.id, access.identity))) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only participants can use this meeting’s chat.');
    }
    return { identity: access.identity };
  }

  on(router, 'GET /meetings/:id/chat', async (req, res) => {
    const query = input('GET /meetings/:id/chat', 'query', req.query);
    const access = await loadAccess(db, req.params, res);
    await assertInMeeting(access);
    const messages = await listChatMessages(db, access.meeting.id, query.after, query.limit);
    if (messages === null) {
      throw new ApiError('VALIDATION_FAILED', 'The request query is not valid.', [{ field: 'query.after', message: 'names no message of this meeting' }]);
    }
    reply(res, 'GET /meetings/:id/chat', 200, messages);
  });

  on(router, 'POST /meetings/:id/chat', deps.limit('chat'), async (req, res) => {
    const body = input('POST /meetings/:id/chat', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    const { identity } = await assertInMeeting(access);
    assertNotEnded(access.meeting);
    if (!mayChat(access.role, access.meeting.policy)) {
      throw new ApiError('FEATURE_DISABLED', access.meeting.policy.chat === 'nobody' ? 'Chat is off in this meeting.' : 'Only hosts can chat in this meeting.');
    }
    const displayName = (await lastDisplayName(db, access.meeting.id, identity)) ?? (access.caller?.kind === 'user' ? (access.caller.name ?? 'Host') : 'Guest');
    const message = await insertChatMessage(db, { meetingId: access.meeting.id, identity, displayName, text: body.text });

    // The message is kept whatever happens next; if the room cannot be reached now, clients still
    // find it in the history they load on (re)connect.
    let delivered = true;
    try {
      const payload = new TextEncoder().encode(JSON.stringify({ type: 'chat', ...message }));
      await deps.roomService.sendData(access.meeting.roomName, payload, { topic: CHAT_TOPIC });
    } catch (err) {
      delivered = false;
      deps.logger.warn({ err, meetingId: access.meeting.id }, 'chat message stored but not delivered to the room');
    }
    reply(res, 'POST /meetings/:id/chat', 201, { ...message, delivered });
  });

  return router;
}
