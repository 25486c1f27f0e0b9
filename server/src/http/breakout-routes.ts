// Breakout rooms (contract v1.1): a host or co-host opens them (as listed, or `split: N` at random),
// the people assigned to a room get a token for it, hosts and co-hosts for any; a close (by a host,
// by the timer, or by the end of the meeting) sends everyone back. Each breakout room is its own
// media-server room, entered on the seat its holder has in the meeting: the meeting's removal, end,
// lock and limits (nobody gets a seat without passing them) and its roles and policy (the same
// permissionsFor grants) hold inside. See services/breakout-rooms.ts for the room side.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import {
  announce,
  breakoutRoomName,
  closeAndAnnounce,
  countsOf,
  DEFAULT_BREAKOUT_GRACE_MS,
  deleteRoomsOf,
  randomSplit,
  sessionView,
  type BreakoutDeps,
} from '../services/breakout-rooms.js';
import type { RoomTokens } from '../services/room-tokens.js';
import { closeBreakout, findBreakoutRoom, findOpenBreakout, insertBreakout, isAssignedTo, regrantSeat, type BreakoutRecord } from '../store/breakouts.js';
import { holdsSlot, lastDisplayName, listPresent } from '../store/participants.js';
import { isRemoved } from '../store/removals.js';
import { input, on, reply } from './contract-routes.js';
import { assertModerator, assertNotEnded, loadAccess, type MeetingAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';

export interface BreakoutRouteDeps {
  db: Database;
  roomService: RoomService;
  tokens: RoomTokens;
  logger: Logger;
  limit: RateLimiter;
  /** How long people have to leave the breakout rooms after a close before they are deleted. */
  breakoutGraceMs?: number;
}

export function breakoutRoutes(deps: BreakoutRouteDeps, router: Router = Router()): Router {
  const { db } = deps;
  const graceMs = deps.breakoutGraceMs ?? DEFAULT_BREAKOUT_GRACE_MS;
  const rooms: BreakoutDeps = deps;

  function assertEnabled(access: MeetingAccess): void {
    if (!access.meeting.policy.breakoutRooms) throw new ApiError('FEATURE_DISABLED', 'Breakout rooms are off in this meeting.');
  }

  /** The open session, closing it first when its timer has run out (whoever's timer it was). */
  async function openSession(access: MeetingAccess): Promise<BreakoutRecord | null> {
    const record = await findOpenBreakout(db, access.meeting.id);
    if (record === null) return null;
    if (record.closesAt !== null && Date.parse(record.closesAt) <= Date.now()) {
      await closeAndAnnounce(rooms, access.meeting.roomName, record.id, graceMs);
      return null;
    }
    return record;
  }

  /** Closes a session on time on this instance; the sweep does it when this instance is gone. */
  function closeOnTime(meetingRoomName: string, record: BreakoutRecord): void {
    if (record.closesAt === null) return;
    const timer = setTimeout(
      () => {
        closeAndAnnounce(rooms, meetingRoomName, record.id, graceMs).catch((err: unknown) => {
          deps.logger.warn({ err, breakoutId: record.id }, 'breakouts: the timed close failed; the sweep closes it');
        });
      },
      Math.max(0, Date.parse(record.closesAt) - Date.now()),
    );
    timer.unref();
  }

  on(router, 'POST /meetings/:id/breakouts', async (req, res) => {
    const body = input('POST /meetings/:id/breakouts', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    assertNotEnded(access.meeting);
    assertEnabled(access);
    const { meeting } = access;
    let assigned = body.rooms;
    if (assigned === undefined) {
      // The people present now, hosts and co-hosts aside (they visit the rooms they like).
      const present = (await listPresent(db, meeting.id)).filter((p) => !isModerator(p.role)).map((p) => p.identity);
      assigned = randomSplit(present, body.split ?? 1);
    }
    const { record, replaced } = await db.transaction(async (tx) => {
      // One open session per meeting: opening again replaces the open one (everyone is reassigned).
      await tx.query('SELECT id FROM meetings WHERE id = $1 FOR UPDATE', [meeting.id]);
      const previous = await findOpenBreakout(tx, meeting.id);
      if (previous !== null) await closeBreakout(tx, previous.id);
      const breakoutId = await insertBreakout(tx, {
        meetingId: meeting.id,
        openedBy: access.identity ?? 'host',
        durationS: body.durationS ?? null,
        allowReturn: body.allowReturn,
        rooms: assigned,
        roomNameOf: (roomId) => breakoutRoomName(meeting.roomName, roomId),
      });
      const opened = await findOpenBreakout(tx, meeting.id);
      if (opened === null || opened.id !== breakoutId) throw new Error('the breakout session just opened is not there');
      return { record: opened, replaced: previous };
    });
    if (replaced !== null) {
      await announce(rooms, replaced.rooms.map((room) => room.roomName), { type: 'breakouts', event: 'closed', breakoutId: replaced.id, closesAt: replaced.closesAt });
      setTimeout(() => {
        deleteRoomsOf(rooms, replaced.id).catch(() => undefined);
      }, graceMs).unref();
    }
    await announce(rooms, [meeting.roomName], { type: 'breakouts', event: 'opened', breakoutId: record.id, closesAt: record.closesAt });
    closeOnTime(meeting.roomName, record);
    reply(res, 'POST /meetings/:id/breakouts', 201, sessionView(record, new Map()));
  });

  on(router, 'GET /meetings/:id/breakouts', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to see the breakout rooms.');
    const moderator = isModerator(access.role);
    if (!moderator) {
      if (await isRemoved(db, access.meeting.id, access.identity)) throw new ApiError('ADMISSION_DENIED', 'A host removed you from this meeting.');
      if (!(await holdsSlot(db, access.meeting.id, access.identity))) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only people in the meeting see its breakout rooms.');
    }
    assertEnabled(access);
    const record = await openSession(access);
    if (record === null) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This meeting has no breakout rooms open.');
    reply(res, 'GET /meetings/:id/breakouts', 200, sessionView(record, await countsOf(rooms, record), moderator ? undefined : access.identity));
  });

  on(router, 'POST /meetings/:id/breakouts/close', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    // No policy check: breakouts turned off while open must still be closable.
    const record = await findOpenBreakout(db, access.meeting.id);
    if (record === null) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This meeting has no breakout rooms open.');
    await closeAndAnnounce(rooms, access.meeting.roomName, record.id, graceMs);
    reply(res, 'POST /meetings/:id/breakouts/close', 200, sessionView({ ...record, status: 'closed' }, new Map()));
  });

  // A host's word to everyone at once, wherever they are: sent by the server on the `breakouts`
  // topic (never by a client, whose packets the widget ignores) to the main room and each open room.
  on(router, 'POST /meetings/:id/breakouts/broadcast', deps.limit('chat'), async (req, res) => {
    const body = input('POST /meetings/:id/breakouts/broadcast', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    assertNotEnded(access.meeting);
    assertEnabled(access);
    const record = await openSession(access);
    if (record === null) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This meeting has no breakout rooms open.');
    const identity = access.identity ?? 'host';
    const from = (await lastDisplayName(db, access.meeting.id, identity)) ?? (access.caller?.kind === 'user' ? (access.caller.name ?? 'Host') : 'Host');
    const delivered = await announce(rooms, [access.meeting.roomName, ...record.rooms.map((room) => room.roomName)], {
      type: 'breakouts',
      event: 'broadcast',
      breakoutId: record.id,
      text: body.text,
      from,
      at: new Date().toISOString(),
    });
    reply(res, 'POST /meetings/:id/breakouts/broadcast', 200, { delivered });
  });

  on(router, 'POST /meetings/:id/breakouts/:roomId/join', deps.limit('join'), async (req, res) => {
    const { roomId } = input('POST /meetings/:id/breakouts/:roomId/join', 'params', req.params);
    const access = await loadAccess(db, req.params, res);
    const { meeting, identity, role } = access;
    if (identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to join a breakout room.');
    assertNotEnded(meeting);
    if (await isRemoved(db, meeting.id, identity)) throw new ApiError('ADMISSION_DENIED', 'A host removed you from this meeting.');
    assertEnabled(access);
    const room = await findBreakoutRoom(db, meeting.id, roomId);
    const open = room !== null && room.status === 'open' && (await openSession(access))?.id === room.breakoutId;
    if (room === null || !open) throw new ApiError('BREAKOUTS_NOT_OPEN', 'This breakout room is not open.');
    if (!isModerator(role) && !(await isAssignedTo(db, room.id, identity))) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the people assigned to this breakout room, hosts and co-hosts may join it.');
    }
    // The seat in the meeting is what lets anyone in: no seat, no breakout room.
    const name = await regrantSeat(db, meeting.id, identity, deps.tokens.seatHoldSeconds);
    if (name === null) throw new ApiError('INSUFFICIENT_PERMISSION', 'Join the meeting first: breakout rooms are for the people in it.');
    const token = await deps.tokens.issue({ identity, name, role, policy: meeting.policy, roomName: room.roomName });
    reply(res, 'POST /meetings/:id/breakouts/:roomId/join', 200, { token, livekitUrl: deps.tokens.livekitUrl, identity, role, roomId: room.id });
  });

  return router;
}
