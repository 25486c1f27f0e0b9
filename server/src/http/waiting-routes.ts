import { Router } from 'express';
import type { Database, Sql } from '../db/database.js';
import { isModerator, type Role } from '../domain/policy.js';
import { publishMeetingEvent, type MeetingEvents } from '../events/meeting-events.js';
import { ApiError } from '../errors.js';
import type { RoomTokens } from '../services/room-tokens.js';
import { countOccupied, roleInMeeting, type MeetingRecord } from '../store/meetings.js';
import { decideWaiter, findWaiter, grantSlot, holdsSlot, listWaiting, markWaiterTokenIssued, waiterView, type WaiterRecord } from '../store/participants.js';
import { isRemoved } from '../store/removals.js';
import { assertModerator, assertNotEnded, loadAccess, requireMeeting } from './meeting-access.js';
import { input, on, reply } from './contract-routes.js';

export interface WaitingDeps {
  db: Database;
  events: MeetingEvents;
  tokens: RoomTokens;
}

type PollAnswer =
  | { status: 'waiting' }
  | { status: 'denied'; reason: 'denied' | 'ended' }
  | { status: 'admitted'; token: string; livekitUrl: string; identity: string; role: Role };

async function requireWaiter(sql: Sql, meetingId: string, waitingId: string, forUpdate = false): Promise<WaiterRecord> {
  const waiter = await findWaiter(sql, meetingId, waitingId, { forUpdate });
  if (waiter === null) throw new ApiError('PARTICIPANT_NOT_FOUND', 'Nobody with this waiting id is waiting for this meeting.');
  return waiter;
}

/** Holds a seat for an admitted waiter, unless the meeting filled up first. Runs under the meeting lock. */
async function reserveSeat(sql: Sql, meeting: MeetingRecord, waiter: WaiterRecord, holdSeconds: number): Promise<void> {
  if (await holdsSlot(sql, meeting.id, waiter.identity)) return;
  if ((await countOccupied(sql, meeting.id, waiter.identity)) >= meeting.policy.maxParticipants) {
    throw new ApiError('MAX_PARTICIPANTS_REACHED', 'This meeting is full.');
  }
  await grantSlot(sql, {
    meetingId: meeting.id,
    identity: waiter.identity,
    userId: waiter.userId,
    email: waiter.email,
    displayName: waiter.displayName,
    role: await roleInMeeting(sql, meeting, waiter.identity, waiter.userId),
    tokenTtlSeconds: holdSeconds,
  });
}

export function waitingRoutes(deps: WaitingDeps, router: Router = Router()): Router {
  const { db, events, tokens } = deps;

  on(router, 'GET /meetings/:id/waiting', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    const waiters = await listWaiting(db, access.meeting.id);
    reply(res, 'GET /meetings/:id/waiting', 200, waiters.map(waiterView));
  });

  for (const [route, decision] of [
    ['POST /meetings/:id/waiting/:waitingId/admit', 'admit'],
    ['POST /meetings/:id/waiting/:waitingId/deny', 'deny'],
  ] as const) {
    on(router, route, async (req, res) => {
      const { waitingId } = input(route, 'params', req.params);
      const status = await db.transaction(async (tx) => {
        const access = await loadAccess(tx, req.params, res, { forUpdate: true });
        assertModerator(access);
        assertNotEnded(access.meeting);
        const waiter = await requireWaiter(tx, access.meeting.id, waitingId, true);
        // Deciding twice is harmless; a decision is never reversed.
        if (waiter.status !== 'waiting') return waiter.status;
        const next = decision === 'admit' ? 'admitted' : 'denied';
        if (next === 'admitted') await reserveSeat(tx, access.meeting, waiter, tokens.seatHoldSeconds);
        await decideWaiter(tx, waiter.id, next, access.identity ?? 'host');
        await publishMeetingEvent(tx, { type: 'waiting-decided', meetingId: access.meeting.id, waitingId: waiter.id, status: next });
        await publishMeetingEvent(tx, { type: 'waiting-changed', meetingId: access.meeting.id });
        return next;
      });
      reply(res, route, 200, { waitingId, status });
    });
  }

  on(router, 'GET /meetings/:id/waiting/:waitingId', async (req, res) => {
    const { waitingId } = input('GET /meetings/:id/waiting/:waitingId', 'params', req.params);
    const { wait } = input('GET /meetings/:id/waiting/:waitingId', 'query', req.query);
    const access = await loadAccess(db, req.params, res);
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Use the token you joined with to follow your place in line.');
    const waiter = await requireWaiter(db, access.meeting.id, waitingId);
    if (waiter.identity !== access.identity) throw new ApiError('INSUFFICIENT_PERMISSION', 'This is someone else’s place in line.');

    /**
     * An admission turns into one LiveKit token, once, and only if it still holds when the waiter
     * comes for it: the meeting not ended or locked since, the waiter not removed since.
     */
    const answer = async (): Promise<PollAnswer> => {
      const current = await requireWaiter(db, access.meeting.id, waitingId);
      if (current.status === 'waiting') return { status: 'waiting' };
      if (current.status !== 'admitted') return { status: 'denied', reason: current.status === 'cancelled' ? 'ended' : 'denied' };
      await tokens.prepare(access.meeting.roomName);
      const granted = await db.transaction(async (tx) => {
        const meeting = await requireMeeting(tx, access.meeting.id, { forUpdate: true });
        assertNotEnded(meeting);
        const admitted = await requireWaiter(tx, meeting.id, waitingId, true);
        if (admitted.tokenIssuedAt !== null) {
          throw new ApiError('PARTICIPANT_NOT_FOUND', 'This place in line was already used to connect; join the meeting again.');
        }
        if (await isRemoved(tx, meeting.id, admitted.identity)) throw new ApiError('ADMISSION_DENIED', 'A host removed you from this meeting.');
        const role = await roleInMeeting(tx, meeting, admitted.identity, admitted.userId);
        if (meeting.policy.locked && !isModerator(role)) throw new ApiError('MEETING_LOCKED', 'The host has locked this meeting.');
        // The seat was reserved at admission; if its hold passed unused, take one again.
        await reserveSeat(tx, meeting, admitted, tokens.seatHoldSeconds);
        await markWaiterTokenIssued(tx, admitted.id);
        return { meeting, role, admitted };
      });
      const { meeting, role, admitted } = granted;
      const token = await tokens.issue({ identity: admitted.identity, name: admitted.displayName, role, policy: meeting.policy, roomName: meeting.roomName });
      return { status: 'admitted', token, livekitUrl: tokens.livekitUrl, identity: admitted.identity, role };
    };

    let result = await answer();
    if (result.status === 'waiting' && wait > 0) {
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      // Subscribe before looking again, so a decision made in between is not missed.
      const unsubscribe = await events.subscribe(access.meeting.id, (event) => {
        // A resync means a decision may have been missed while notifications were down.
        if ((event.type === 'waiting-decided' && event.waitingId === waitingId) || event.type === 'resync' || event.type === 'shutdown') wake();
      });
      const timer = setTimeout(wake, wait * 1000);
      res.once('close', wake);
      try {
        result = await answer();
        if (result.status === 'waiting') {
          await woken;
          if (res.destroyed) return;
          result = await answer();
        }
      } finally {
        clearTimeout(timer);
        res.off('close', wake);
        unsubscribe();
      }
    }
    reply(res, 'GET /meetings/:id/waiting/:waitingId', 200, result);
  });

  return router;
}
