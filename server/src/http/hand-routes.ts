// Raised hands, set by the server: the room sees them as the participant's `hand` attribute, whose
// value is when the hand went up (epoch milliseconds, as a string) or '' once it is down.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import { holdsSlot, lowerHands, restoreHands, setHand } from '../store/participants.js';
import { assertModerator, assertNotEnded, loadAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { input, on, reply } from './contract-routes.js';

export interface HandDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
  limit: RateLimiter;
}

/** The `hand` attribute's value for a hand raised at `raisedAt` (null: down). */
export function handAttribute(raisedAt: Date | null): string {
  return raisedAt === null ? '' : String(raisedAt.getTime());
}

/** Tells the room that `identities`' hands are now as `raisedAt` says; false when it could not be told. */
async function showHands(deps: HandDeps, meeting: { id: string; roomName: string }, identities: readonly string[], raisedAt: Date | null): Promise<boolean> {
  const told = await Promise.allSettled(identities.map((identity) => deps.roomService.updateParticipant(meeting.roomName, identity, { attributes: { hand: handAttribute(raisedAt) } })));
  const failed = told.filter((result) => result.status === 'rejected');
  if (failed.length === 0) return true;
  deps.logger.warn({ err: failed[0]?.reason, meetingId: meeting.id, failed: failed.length }, 'hand recorded but the room could not be told');
  return false;
}

export function handRoutes(deps: HandDeps, router: Router = Router()): Router {
  const { db } = deps;
  on(router, 'POST /meetings/:id/hand', deps.limit('hand'), async (req, res) => {
    const { raised } = input('POST /meetings/:id/hand', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to raise your hand.');
    assertNotEnded(access.meeting);
    const identity = access.identity;
    if (!(await holdsSlot(db, access.meeting.id, identity))) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only people in the meeting can raise a hand.');
    const raisedAt = await setHand(db, access.meeting.id, identity, raised);
    if (raisedAt === undefined) throw new ApiError('PARTICIPANT_NOT_FOUND', 'You are not in this meeting.');
    if (!(await showHands(deps, access.meeting, [identity], raisedAt))) throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'The media server could not show your hand now; try again.');
    reply(res, 'POST /meetings/:id/hand', 200, { identity, raised: raisedAt !== null, raisedAt: raisedAt === null ? null : raisedAt.toISOString() });
  });

  // A host's "lower all hands": the same record and the same attribute as each person's own hand.
  on(router, 'POST /meetings/:id/hands/lower', deps.limit('hand'), async (req, res) => {
    const { identities } = input('POST /meetings/:id/hands/lower', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    assertModerator(access);
    assertNotEnded(access.meeting);
    // The record first (the database is the truth; the room follows), and no transaction held open
    // across the media server's calls, one per person. When the room cannot be told, the hands go
    // back up in the record, so a retry lowers (and shows) the same hands instead of finding nothing
    // left to lower.
    const down = await lowerHands(db, access.meeting.id, identities);
    const lowered = down.map((hand) => hand.identity);
    if (!(await showHands(deps, access.meeting, lowered, null))) {
      await restoreHands(db, access.meeting.id, down);
      throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'The media server could not lower the hands now; nothing changed, try again.');
    }
    reply(res, 'POST /meetings/:id/hands/lower', 200, { lowered });
  });
  return router;
}
