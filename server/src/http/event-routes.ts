import { Router } from 'express';
import type { Database } from '../db/database.js';
import type { MeetingEvent, MeetingEvents } from '../events/meeting-events.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { countOccupied, countWaiting, findMeeting, isPresentParticipant, toView } from '../store/meetings.js';
import { listWaiting, waitingIdsOf } from '../store/participants.js';
import { loadAccess } from './meeting-access.js';

/** Proxies drop idle connections; a comment line every so often keeps the stream open. */
const HEARTBEAT_MS = 15_000;

export interface EventRouteDeps {
  db: Database;
  events: MeetingEvents;
}

export function eventRoutes(deps: EventRouteDeps, router: Router = Router()): Router {
  const { db, events } = deps;

  router.get('/meetings/:id/events', async (req, res) => {
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
            send('waiting', waiters.map((w) => ({ waitingId: w.id, displayName: w.displayName, email: w.email, since: w.createdAt.toISOString() })));
          }
        } while (anotherRoundNeeded());
      } finally {
        refreshing = false;
      }
    };
    const onEvent = (event: MeetingEvent) => {
      if (event.type === 'waiting-decided' && myWaitingIds.has(event.waitingId)) {
        send('admission', { waitingId: event.waitingId, status: event.status === 'cancelled' ? 'denied' : event.status });
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
