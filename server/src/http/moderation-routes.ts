// Hosts and co-hosts acting on people in the meeting: mute, remove, change roles. The database says
// who may do what; LiveKit's server API carries it out in the room.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { permissionsFor } from '../domain/permissions.js';
import { isModerator, type Role } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import type { RoomService } from '../livekit/room-service.js';
import { isPresentParticipant, roleInMeeting, type MeetingRecord } from '../store/meetings.js';
import { denyOpenEntriesOf, listPresent, releaseSlot } from '../store/participants.js';
import { liftRemoval, listRemovals, recordRemoval } from '../store/removals.js';
import { grantCoHost, revokeRole } from '../store/roles.js';
import { removeFromBreakouts } from '../services/breakout-rooms.js';
import { assertHost, assertModerator, assertNotEnded, loadAccess, type MeetingAccess } from './meeting-access.js';
import { input, on, reply } from './contract-routes.js';

export interface ModerationDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
}

/** LiveKit being unreachable is not the caller's mistake, and not an internal bug either. */
async function inRoom<T>(logger: Logger, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    logger.warn({ err }, 'LiveKit server API call failed');
    throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'The media server could not carry this out; try again.');
  }
}

export function moderationRoutes(deps: ModerationDeps, router: Router = Router()): Router {
  const { db, roomService, logger } = deps;

  /** The moderator's access and the target's role, after checking the target is in the meeting. */
  async function target(params: unknown, res: Parameters<typeof loadAccess>[2]): Promise<{ access: MeetingAccess; identity: string; targetRole: Role }> {
    const { identity } = input('POST /meetings/:id/participants/:identity/remove', 'params', params);
    const access = await loadAccess(db, params, res);
    assertModerator(access);
    assertNotEnded(access.meeting);
    if (!(await isPresentParticipant(db, access.meeting.id, identity))) {
      throw new ApiError('PARTICIPANT_NOT_FOUND', 'Nobody with this identity is in the meeting.');
    }
    const targetRole = await roleOf(access.meeting, identity);
    return { access, identity, targetRole };
  }

  async function roleOf(meeting: MeetingRecord, identity: string): Promise<Role> {
    // The host's identity is derived from the host's user id; roleInMeeting needs that user id.
    const present = await listPresent(db, meeting.id);
    const row = present.find((p) => p.identity === identity);
    return row?.role ?? (await roleInMeeting(db, meeting, identity, null));
  }

  on(router, 'POST /meetings/:id/participants/:identity/mute', async (req, res) => {
    const { source } = input('POST /meetings/:id/participants/:identity/mute', 'body', req.body);
    const { access, identity } = await target(req.params, res);
    await inRoom(logger, () => roomService.muteSource(access.meeting.roomName, identity, source));
    reply(res, 'POST /meetings/:id/participants/:identity/mute', 200, { identity, source, muted: true });
  });

  on(router, 'POST /meetings/:id/participants/:identity/remove', async (req, res) => {
    const { access, identity, targetRole } = await target(req.params, res);
    if (identity === access.identity) throw new ApiError('VALIDATION_FAILED', 'Use leave to leave the meeting yourself.', { field: 'params.identity' });
    if (targetRole === 'host' || (targetRole === 'co-host' && access.role !== 'host')) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the host can remove a co-host, and nobody can remove the host.');
    }
    const removedBy = access.identity ?? 'host';
    const present = (await listPresent(db, access.meeting.id)).find((p) => p.identity === identity);
    await db.transaction(async (tx) => {
      const meetingId = access.meeting.id;
      // Recorded first: from here on no join, waiting entry or admitted place in line of this
      // identity gets a token, and a co-host role does not survive it.
      await recordRemoval(tx, { meetingId, identity, userId: present?.userId ?? null, displayName: present?.displayName ?? identity, removedBy });
      await revokeRole(tx, meetingId, identity);
      await releaseSlot(tx, meetingId, identity);
      for (const waitingId of await denyOpenEntriesOf(tx, meetingId, identity, removedBy)) {
        await publishMeetingEvent(tx, { type: 'waiting-decided', meetingId, waitingId, status: 'denied' });
      }
      await publishMeetingEvent(tx, { type: 'participant-removed', meetingId, identity });
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
    });
    await inRoom(logger, () => roomService.removeParticipant(access.meeting.roomName, identity));
    await removeFromBreakouts(deps, access.meeting.id, identity);
    reply(res, 'POST /meetings/:id/participants/:identity/remove', 200, { identity, removed: true });
  });

  on(router, 'GET /meetings/:id/removals', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    reply(res, 'GET /meetings/:id/removals', 200, await listRemovals(db, access.meeting.id));
  });

  // Lifting a removal is how a host lets someone back in: they may then join (or knock) as before.
  on(router, 'DELETE /meetings/:id/removals/:identity', async (req, res) => {
    const { identity } = input('DELETE /meetings/:id/removals/:identity', 'params', req.params);
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    assertNotEnded(access.meeting);
    if (!(await liftRemoval(db, access.meeting.id, identity))) throw new ApiError('PARTICIPANT_NOT_FOUND', 'Nobody with this identity was removed from this meeting.');
    reply(res, 'DELETE /meetings/:id/removals/:identity', 200, { identity, removed: false });
  });

  on(router, 'PUT /meetings/:id/participants/:identity/role', async (req, res) => {
    const { role } = input('PUT /meetings/:id/participants/:identity/role', 'body', req.body);
    const { access, identity, targetRole } = await target(req.params, res);
    assertHost(access);
    if (targetRole === 'host') throw new ApiError('VALIDATION_FAILED', "The host's role cannot be changed.", { field: 'params.identity' });
    await db.transaction(async (tx) => {
      if (role === 'co-host') {
        await grantCoHost(tx, access.meeting.id, identity, access.identity ?? 'host');
      } else {
        await revokeRole(tx, access.meeting.id, identity);
      }
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
    });
    await inRoom(logger, () =>
      roomService.updateParticipant(access.meeting.roomName, identity, { attributes: { role }, permissions: permissionsFor(role, access.meeting.policy) }),
    );
    const updated = (await listPresent(db, access.meeting.id)).find((p) => p.identity === identity);
    if (!updated) throw new ApiError('PARTICIPANT_NOT_FOUND', 'Nobody with this identity is in the meeting.');
    reply(res, 'PUT /meetings/:id/participants/:identity/role', 200, { ...updated, role: isModerator(role) ? role : 'attendee' });
  });

  return router;
}
