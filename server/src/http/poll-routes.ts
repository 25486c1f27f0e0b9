// Polls (contract v1.1): created per `policy.polls`, voted on by everyone present, closed by a host,
// a co-host or whoever asked. Results reach the room from the server (see poll-broadcast.ts).
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { mayCreatePolls } from '../../../src/contract/permissions.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import { PollBroadcaster } from '../services/poll-broadcast.js';
import { lastDisplayName } from '../store/participants.js';
import { castVote, closePoll, findPollHead, insertPoll, presentDisplayName, readPoll, readPolls, resultsOf, type PollView } from '../store/polls.js';
import { assertNotEnded, loadAccess, type MeetingAccess } from './meeting-access.js';
import { input, on, reply } from './contract-routes.js';
import type { RateLimiter } from './rate-limits.js';

export interface PollDeps {
  db: Database;
  roomService: RoomService;
  logger: Logger;
  limit: RateLimiter;
  /** Shortest gap between two pushes of one poll's results to the room (default 250 ms). */
  pollPushIntervalMs?: number;
}

export function pollRoutes(deps: PollDeps, router: Router = Router()): Router {
  const { db } = deps;
  const broadcast = new PollBroadcaster(deps, deps.pollPushIntervalMs);

  /** Polls are for the people in the meeting; hosts and co-hosts may follow them from outside the call. */
  async function participant(access: MeetingAccess): Promise<{ identity: string; displayName: string }> {
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to take part in polls.');
    const present = await presentDisplayName(db, access.meeting.id, access.identity);
    if (present !== null) return { identity: access.identity, displayName: present };
    if (!isModerator(access.role)) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only people in the meeting can take part in its polls.');
    const name = (await lastDisplayName(db, access.meeting.id, access.identity)) ?? (access.caller?.kind === 'user' ? access.caller.name : undefined) ?? 'Host';
    return { identity: access.identity, displayName: name };
  }

  async function answer(meetingId: string, pollId: string, viewer: string): Promise<PollView> {
    const poll = await readPoll(db, meetingId, pollId, viewer, { voters: true });
    if (poll === null) throw new ApiError('POLL_NOT_FOUND', 'This meeting has no poll with this id.');
    return poll;
  }

  on(router, 'GET /meetings/:id/polls', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    const { identity } = await participant(access);
    reply(res, 'GET /meetings/:id/polls', 200, await readPolls(db, access.meeting.id, identity, { voters: true }));
  });

  on(router, 'POST /meetings/:id/polls', deps.limit('poll'), async (req, res) => {
    const body = input('POST /meetings/:id/polls', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    const { identity } = await participant(access);
    assertNotEnded(access.meeting);
    const setting = access.meeting.policy.polls;
    if (!mayCreatePolls(access.role, access.meeting.policy)) {
      throw new ApiError('FEATURE_DISABLED', setting === 'nobody' ? 'Polls are off in this meeting.' : 'Only hosts can start polls in this meeting.');
    }
    const pollId = await insertPoll(db, { meetingId: access.meeting.id, ...body, createdBy: identity });
    const poll = await answer(access.meeting.id, pollId, identity);
    broadcast.now(access.meeting.roomName, resultsOf(poll));
    reply(res, 'POST /meetings/:id/polls', 201, poll);
  });

  on(router, 'POST /meetings/:id/polls/:pollId/votes', deps.limit('poll'), async (req, res) => {
    const { pollId } = input('POST /meetings/:id/polls/:pollId/votes', 'params', req.params);
    const body = input('POST /meetings/:id/polls/:pollId/votes', 'body', req.body);
    const access = await loadAccess(db, req.params, res);
    const { identity, displayName } = await participant(access);
    assertNotEnded(access.meeting);
    const meetingId = access.meeting.id;
    const head = await findPollHead(db, meetingId, pollId);
    if (head === null) throw new ApiError('POLL_NOT_FOUND', 'This meeting has no poll with this id.');
    if (head.status === 'closed') throw new ApiError('POLL_CLOSED', 'This poll is closed.');
    const outOfRange = body.options.flatMap((option, index) => (option >= head.optionCount ? [{ field: `body.options.${String(index)}`, message: `this poll has options 0 to ${String(head.optionCount - 1)}` }] : []));
    if (outOfRange.length > 0) throw new ApiError('VALIDATION_FAILED', 'The request body is not valid.', outOfRange);
    if (!head.multiple && body.options.length > 1) {
      throw new ApiError('VALIDATION_FAILED', 'The request body is not valid.', [{ field: 'body.options', message: 'this poll takes exactly one option' }]);
    }
    const options = [...body.options].sort((a, b) => a - b);
    // Closed between the look above and the vote: the database says so, atomically.
    if (!(await castVote(db, { meetingId, pollId, identity, displayName, options }))) throw new ApiError('POLL_CLOSED', 'This poll is closed.');
    const poll = await answer(meetingId, pollId, identity);
    broadcast.voted(access.meeting.roomName, resultsOf(poll));
    reply(res, 'POST /meetings/:id/polls/:pollId/votes', 200, poll);
  });

  on(router, 'POST /meetings/:id/polls/:pollId/close', deps.limit('poll'), async (req, res) => {
    const { pollId } = input('POST /meetings/:id/polls/:pollId/close', 'params', req.params);
    const access = await loadAccess(db, req.params, res);
    const { identity } = await participant(access);
    const meetingId = access.meeting.id;
    const head = await findPollHead(db, meetingId, pollId);
    if (head === null) throw new ApiError('POLL_NOT_FOUND', 'This meeting has no poll with this id.');
    if (!isModerator(access.role) && head.createdBy !== identity) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only a host, a co-host or whoever started the poll can close it.');
    }
    // Closing twice answers the closed poll again: a retried close is not an error.
    const closedNow = await closePoll(db, meetingId, pollId);
    const poll = await answer(meetingId, pollId, identity);
    if (closedNow) broadcast.now(access.meeting.roomName, resultsOf(poll));
    reply(res, 'POST /meetings/:id/polls/:pollId/close', 200, poll);
  });

  return router;
}
