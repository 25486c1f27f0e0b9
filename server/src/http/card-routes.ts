// Meeting cards (contract v1.1): a meeting as a chat message or a calendar entry shows it, read
// once (GET /meetings/:id/card) or followed, up to a hundred meetings on one connection
// (GET /events?meetings=…), so a page of fifty cards costs the server one stream, not fifty.
import { Router } from 'express';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { MeetingEvent, MeetingEvents } from '../events/meeting-events.js';
import { participantIdentity } from '../auth/participant-identity.js';
import { accessOf, assertMayReadCard } from '../services/access.js';
import { meetingCard } from '../store/cards.js';
import { findMeeting } from '../store/meetings.js';
import { input, on, reply } from './contract-routes.js';
import { loadAccess } from './meeting-access.js';
import { STREAM_RETRY_AFTER_SECONDS, StreamCounts } from './stream-counts.js';

/** Proxies drop idle connections; a comment line every so often keeps the stream open. */
const HEARTBEAT_MS = 15_000;
/** Meetings checked at once when a stream opens. */
const PARALLEL_CHECKS = 10;

export interface CardRouteDeps {
  db: Database;
  events: MeetingEvents;
  /** Card streams open at once on this instance per caller, and per address for guests and anonymous callers; 0: no cap. */
  streams?: { perCaller: number; perGuestAddress: number } | undefined;
}

export function cardRoutes(deps: CardRouteDeps, router: Router = Router()): Router {
  const { db, events } = deps;
  const counts = new StreamCounts();

  on(router, 'GET /meetings/:id/card', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMayReadCard(db, access);
    reply(res, 'GET /meetings/:id/card', 200, await meetingCard(db, access.meeting));
  });

  on(router, 'GET /events', async (req, res) => {
    const { meetings } = input('GET /events', 'query', req.query);
    const caller = res.locals.caller;
    /** May the caller (still) follow this meeting? Throws the refusal when not. */
    const check = async (meetingId: string) => {
      const access = await accessOf(db, meetingId, caller);
      await assertMayReadCard(db, access);
      return access.meeting;
    };

    // Every meeting is checked before anything is streamed: one the caller may not see refuses the
    // whole request, naming each refused id, so nothing about it leaks through the stream.
    const refused: Array<{ meetingId: string; error: ApiError }> = [];
    for (let start = 0; start < meetings.length; start += PARALLEL_CHECKS) {
      const outcomes = await Promise.all(
        meetings.slice(start, start + PARALLEL_CHECKS).map(async (meetingId) => {
          try {
            await check(meetingId);
            return null;
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            return { meetingId, error: err };
          }
        }),
      );
      for (const outcome of outcomes) if (outcome !== null) refused.push(outcome);
    }
    const first = refused[0];
    if (first !== undefined) {
      const details = refused.map((r) => ({ meetingId: r.meetingId, code: r.error.code }));
      throw new ApiError(first.error.code, `${first.error.message} (${String(refused.length)} of the meetings asked for are refused; details name them)`, details);
    }

    const identity = caller === null ? null : participantIdentity(caller);
    const address = `address:${req.ip ?? 'unknown'}`;
    const keys: Array<[string, number]> = identity === null ? [] : [[`caller:${identity}`, deps.streams?.perCaller ?? 0]];
    if (caller === null || caller.kind === 'guest') keys.push([address, deps.streams?.perGuestAddress ?? 0]);
    if (!counts.take(keys)) {
      throw new ApiError('RATE_LIMITED', 'Too many card streams are open for you; close one and try again.', undefined, { retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS });
    }

    const following = new Map<string, () => void>();
    let closed = false;
    // A function, not the flag: it changes while this code awaits, which narrowing cannot see.
    const isClosed = (): boolean => closed;
    const close = () => {
      if (closed) return;
      closed = true;
      counts.release(keys);
      for (const unsubscribe of following.values()) unsubscribe();
      following.clear();
      clearInterval(heartbeat);
    };
    res.once('close', close);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);

    const stopFollowing = (meetingId: string) => {
      following.get(meetingId)?.();
      following.delete(meetingId);
    };
    // One refresh at a time; meetings that change meanwhile are refreshed once after it.
    const dirty = new Set<string>();
    let refreshing = false;
    const refresh = async (): Promise<void> => {
      if (refreshing) return;
      refreshing = true;
      try {
        for (let next = dirty.values().next(); !next.done && !isClosed(); next = dirty.values().next()) {
          const meetingId = next.value;
          dirty.delete(meetingId);
          const meeting = await findMeeting(db, meetingId);
          if (meeting === null) {
            stopFollowing(meetingId);
            continue;
          }
          // An ended meeting changes no more: its last card, then it is no longer followed.
          if (meeting.status !== 'ended') {
            try {
              await check(meetingId);
            } catch (err) {
              // No longer allowed (removed, or the meeting went private): it stops, quietly.
              if (!(err instanceof ApiError)) throw err;
              stopFollowing(meetingId);
              continue;
            }
          }
          const card = await meetingCard(db, meeting);
          if (isClosed()) return;
          res.write(`event: card\ndata: ${JSON.stringify(card)}\n\n`);
          if (meeting.status === 'ended') stopFollowing(meetingId);
        }
      } finally {
        refreshing = false;
      }
    };
    const changed = (meetingId: string) => {
      dirty.add(meetingId);
      void refresh().catch(() => undefined);
    };
    const onEvent = (event: MeetingEvent) => {
      if (closed) return;
      if (event.type === 'shutdown') {
        // This instance is stopping: the client reconnects (to another instance, or this one restarted).
        close();
        res.end();
        return;
      }
      if (event.type === 'meeting-changed' || event.type === 'resync' || event.type === 'participant-removed') changed(event.meetingId);
    };

    // Subscribed before the first cards are read, so a change in between is not missed.
    for (const meetingId of meetings) {
      const unsubscribe = await events.subscribe(meetingId, onEvent);
      if (isClosed()) {
        unsubscribe();
        return;
      }
      following.set(meetingId, unsubscribe);
    }
    for (const meetingId of meetings) dirty.add(meetingId);
    await refresh();
  });

  return router;
}
