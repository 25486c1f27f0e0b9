import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';
import type { RoomService } from '../livekit/room-service.js';
import { DEFAULT_POLICY, policyPatchSchema, policySchema } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { requireUser } from './authenticate.js';
import { assertHost, assertMayView, assertModerator, assertNotEnded, loadAccess, requireMeeting } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { parseInput } from './validate.js';
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

const title = z.string().trim().min(1).max(200);
export const createBody = z.strictObject({ title, policy: policySchema.optional() });
export const patchBody = z
  .strictObject({ title: title.optional(), policy: policyPatchSchema.optional() })
  .refine((body) => body.title !== undefined || body.policy !== undefined, { message: 'give a title or a policy to change' });

export interface MeetingRouteDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
  rooms: Pick<RoomEnsurer, 'forget'>;
  limit: RateLimiter;
}

export function meetingRoutes(deps: MeetingRouteDeps, router: Router = Router()): Router {
  const { db } = deps;

  router.post('/meetings', deps.limit('auth'), async (req, res) => {
    const user = requireUser(res);
    const body = parseInput(createBody, req.body, 'body');
    const meeting = await db.transaction((tx) => insertMeeting(tx, { hostId: user.userId, title: body.title, policy: body.policy ?? DEFAULT_POLICY }));
    res.status(201).json(toView(meeting, 0));
  });

  router.get('/meetings/:id', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMayView(db, access);
    res.json(await meetingView(db, access.meeting));
  });

  router.get('/meetings/:id/status', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMayView(db, access);
    const [participantCount, waitingCount] = await Promise.all([countOccupied(db, access.meeting.id), countWaiting(db, access.meeting.id)]);
    res.json({ status: access.meeting.status, participantCount, waitingCount, locked: access.meeting.policy.locked });
  });

  router.patch('/meetings/:id', async (req, res) => {
    const body = parseInput(patchBody, req.body, 'body');
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
    res.json(await meetingView(db, meeting));
  });

  router.delete('/meetings/:id', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertHost(access);
      await deleteMeeting(tx, access.meeting.id);
      return access.meeting;
    });
    await closeMeetingRoom(deps, meeting);
    res.status(204).end();
  });

  router.post('/meetings/:id/start', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertModerator(access);
      assertNotEnded(access.meeting);
      if (!(await markStarted(tx, access.meeting.id))) throw new ApiError('MEETING_ALREADY_ACTIVE', 'This meeting is already active.');
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
      return requireMeeting(tx, access.meeting.id);
    });
    res.json(await meetingView(db, meeting));
  });

  router.post('/meetings/:id/end', async (req, res) => {
    const meeting = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertHost(access);
      // Ending twice is harmless: the second call just reports the ended meeting.
      await endMeetingIn(tx, access.meeting.id, access.identity ?? 'host');
      return requireMeeting(tx, access.meeting.id);
    });
    await closeMeetingRoom(deps, meeting);
    res.json(await meetingView(db, meeting));
  });

  for (const [path, locked] of [
    ['lock', true],
    ['unlock', false],
  ] as const) {
    router.post(`/meetings/:id/${path}`, async (req, res) => {
      const meeting = await db.transaction(async (tx) => {
        const access = await loadAccess(tx, req.params, res, { forUpdate: true });
        assertModerator(access);
        assertNotEnded(access.meeting);
        await updateMeeting(tx, access.meeting.id, { policy: { locked } });
        await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
        return requireMeeting(tx, access.meeting.id);
      });
      res.json(await meetingView(db, meeting));
    });
  }

  return router;
}
