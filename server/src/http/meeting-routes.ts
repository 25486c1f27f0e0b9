import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';
import type { RoomService } from '../livekit/room-service.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { requireUser } from './authenticate.js';
import { assertHost, assertMayView, assertModerator, assertNotEnded, loadAccess, requireMeeting } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { input, on, reply } from './contract-routes.js';
import {
  countOccupied,
  countWaiting,
  deleteMeeting,
  insertMeeting,
  markStarted,
  meetingView,
  toView,
  updateMeeting,
} from '../store/meetings.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import { closeMeetingRoom, endMeetingIn } from '../services/meeting-end.js';
import { pushPermissions } from '../services/room-permissions.js';

export interface MeetingRouteDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
  rooms: Pick<RoomEnsurer, 'forget'>;
  limit: RateLimiter;
}

export function meetingRoutes(deps: MeetingRouteDeps, router: Router = Router()): Router {
  const { db } = deps;

  on(router, 'POST /meetings', deps.limit('auth'), async (req, res) => {
    const user = requireUser(res);
    const body = input('POST /meetings', 'body', req.body);
    const meeting = await db.transaction((tx) => insertMeeting(tx, { hostId: user.userId, title: body.title, policy: body.policy ?? DEFAULT_POLICY }));
    reply(res, 'POST /meetings', 201, toView(meeting, 0));
  });

  on(router, 'GET /meetings/:id', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMayView(db, access);
    reply(res, 'GET /meetings/:id', 200, await meetingView(db, access.meeting));
  });

  on(router, 'GET /meetings/:id/status', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMayView(db, access);
    const [participantCount, waitingCount] = await Promise.all([countOccupied(db, access.meeting.id), countWaiting(db, access.meeting.id)]);
    reply(res, 'GET /meetings/:id/status', 200, { status: access.meeting.status, participantCount, waitingCount, locked: access.meeting.policy.locked });
  });

  on(router, 'PATCH /meetings/:id', async (req, res) => {
    const body = input('PATCH /meetings/:id', 'body', req.body);
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertModerator(access);
      assertNotEnded(access.meeting);
      await updateMeeting(tx, access.meeting.id, body);
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
      return requireMeeting(tx, access.meeting.id);
    });
    // People already connected get what the new policy allows at once, not with their next token.
    if (body.policy?.screenShare !== undefined || body.policy?.chat !== undefined) await pushPermissions(db, deps.roomService, deps.logger, meeting);
    reply(res, 'PATCH /meetings/:id', 200, await meetingView(db, meeting));
  });

  on(router, 'DELETE /meetings/:id', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertHost(access);
      await deleteMeeting(tx, access.meeting.id);
      return access.meeting;
    });
    await closeMeetingRoom(deps, meeting);
    reply(res, 'DELETE /meetings/:id', 204, undefined);
  });

  on(router, 'POST /meetings/:id/start', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertModerator(access);
      assertNotEnded(access.meeting);
      if (!(await markStarted(tx, access.meeting.id))) throw new ApiError('MEETING_ALREADY_ACTIVE', 'This meeting is already active.');
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
      return requireMeeting(tx, access.meeting.id);
    });
    reply(res, 'POST /meetings/:id/start', 200, await meetingView(db, meeting));
  });

  on(router, 'POST /meetings/:id/end', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertHost(access);
      // Ending twice is harmless: the second call just reports the ended meeting.
      await endMeetingIn(tx, access.meeting.id, access.identity ?? 'host');
      return requireMeeting(tx, access.meeting.id);
    });
    await closeMeetingRoom(deps, meeting);
    reply(res, 'POST /meetings/:id/end', 200, await meetingView(db, meeting));
  });

  for (const [route, locked] of [
    ['POST /meetings/:id/lock', true],
    ['POST /meetings/:id/unlock', false],
  ] as const) {
    on(router, route, async (req, res) => {
      const meeting = await db.transaction(async (tx) => {
        const access = await loadAccess(tx, req.params, res, { forUpdate: true });
        assertModerator(access);
        assertNotEnded(access.meeting);
        await updateMeeting(tx, access.meeting.id, { policy: { locked } });
        await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
        return requireMeeting(tx, access.meeting.id);
      });
      reply(res, route, 200, await meetingView(db, meeting));
    });
  }

  return router;
}
