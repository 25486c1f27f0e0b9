import { Router } from 'express';
import type { Database } from '../db/database.js';
import type { MeetingEvent, MeetingEvents } from '../events/meeting-events.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { countOccupied, countWaiting, findMeeting, isPresentParticipant, toView } from '../store/meetings.js';
import { findWaiter, listWaiting, waiterView, waitingIdsOf } from '../store/participants.js';
import { on } from './contract-routes.js';
import { loadAccess } from './meeting-access.js';
import { STREAM_RETRY_AFTER_SECONDS, StreamCounts } from './stream-counts.js';

/** Proxies drop idle connections; a comment line every so often keeps the stream open. */
const HEARTBEAT_MS = 15_000;

export interface EventRouteDeps {
  db: Database;
  events: MeetingEvents;
  /** Streams open at once on this instance per caller, and per address for guests; 0: no cap. */
  streams?: { perCaller: number; perGuestAddress: number } | undefined;
}

export function eventRoutes(deps: EventRouteDeps, router: Router = Router()): Router {
  const { db, events } = deps;
  const counts = new StreamCounts();

  on(router, 'GET /meetings/:id/events', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to follow this meeting.');
    const identity = access.identity;
    const meetingId = access.meeting.id;
    const moderator = isModerator(access.role);
    const present = await isPresentParticipant(db, meetingId, identity);
    const waitingIds = await waitingIdsOf(db, meetingId, identity);
    if (!moderator && !present && waitingIds.length === 0) {
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only participants, hosts and people waiting to get in can follow this meeting.');
    }
    const myWaitingIds = new Set(waitingIds);

    // Each stream costs queries on every change of the meeting: a caller holds a few at most.
    const caller = access.caller;
    const keys: Array<[string, number]> = [[`caller:${identity}`, deps.streams?.perCaller ?? 0]];
    if (caller?.kind === 'guest') keys.push([`address:${req.ip ?? 'unknown'}`, deps.streams?.perGuestAddress ?? 0]);
    if (!counts.take(keys)) {
      throw new ApiError('RATE_LIMITED', 'Too many event streams are open for you; close one and try again.', undefined, { retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS });
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      counts.release(keys);
    };
    res.once('close', release);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };

    // One refresh at a time; changes that arrive meanwhile are folded into one more refresh.
    let refreshing = false;
    let dirty = false;
    let closed = false;
    // Other events change these flags while a refresh awaits the database.
    const anotherRoundNeeded = () => dirty && !closed;
    const refresh = async (): Promise<void> => {
      if (refreshing) {
        dirty = true;
        return;
      }
      refreshing = true;
      try {
        do {
          dirty = false;
          const meeting = await findMeeting(db, meetingId);
          if (meeting === null || closed) return;
          const [participantCount, waitingCount] = await Promise.all([countOccupied(db, meetingId), countWaiting(db, meetingId)]);
          send('status', { status: meeting.status, participantCount, waitingCount, locked: meeting.policy.locked });
          send('meeting', toView(meeting, participantCount));
          if (moderator) {
            const waiters = await listWaiting(db, meetingId);
            send('waiting', waiters.map(waiterView));
          }
        } while (anotherRoundNeeded());
      } finally {
        refreshing = false;
      }
    };
    const announceMissedDecisions = async () => {
      for (const waitingId of myWaitingIds) {
        const waiter = await findWaiter(db, meetingId, waitingId);
        if (waiter === null || waiter.status === 'waiting' || closed) continue;
        onEvent({ type: 'waiting-decided', meetingId, waitingId, status: waiter.status });
      }
    };
    /** The caller has no business following this meeting any more: tell them, then hang up. */
    const endStream = () => {
      if (closed) return;
      closed = true;
      res.end();
    };
    const onEvent = (event: MeetingEvent) => {
      if (closed) return;
      // The instance is stopping: the client reconnects, to another instance or to this one restarted.
      if (event.type === 'shutdown') {
        endStream();
        return;
      }
      if (event.type === 'waiting-decided' && myWaitingIds.has(event.waitingId)) {
        const status = event.status === 'cancelled' ? 'denied' : event.status;
        send('admission', { waitingId: event.waitingId, status });
        // A denied waiter (or one whose meeting ended) keeps no window on the meeting.
        if (status === 'denied' && !moderator) {
          endStream();
          return;
        }
      }
      if (event.type === 'resync' && myWaitingIds.size > 0 && !moderator) {
        // Notifications were down for a while: a decision on this caller's entry may have been missed.
        void announceMissedDecisions().catch(() => undefined);
      }
      if (event.type === 'participant-removed' && event.identity === identity) {
        send('removed', { identity });
        endStream();
        return;
      }
      void refresh().catch(() => undefined);
    };

    const unsubscribe = await events.subscribe(meetingId, onEvent);
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    res.once('close', () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    });
    await refresh();
  });

  return router;
}
