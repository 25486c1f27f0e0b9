import { Router } from 'express';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import { JoinService, type JoinServiceDeps } from '../services/join-service.js';
import { hasEverJoined, listPresent, releaseSlot } from '../store/participants.js';
import { input, on, reply } from './contract-routes.js';
import { loadAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';

export type ParticipationDeps = JoinServiceDeps & { limit: RateLimiter };

export function participationRoutes(deps: ParticipationDeps, router: Router = Router()): Router {
  const { db } = deps;
  const joins = new JoinService(deps);

  on(router, 'POST /meetings/:id/join', deps.limit('join'), async (req, res) => {
    const body = input('POST /meetings/:id/join', 'body', req.body) ?? {};
    const { id } = input('POST /meetings/:id/join', 'params', req.params);
    const result = await joins.join(id, res.locals.caller, body.displayName, req.ip ?? null);
    const guestToken = result.guestToken === null ? {} : { guestToken: result.guestToken };
    if (result.kind === 'waiting') {
      reply(res, 'POST /meetings/:id/join', 202, { status: 'waiting', waitingId: result.waitingId, ...guestToken });
      return;
    }
    reply(res, 'POST /meetings/:id/join', 200, { token: result.token, livekitUrl: result.livekitUrl, identity: result.identity, role: result.role, meeting: result.meeting, ...guestToken });
  });

  on(router, 'POST /meetings/:id/leave', async (req, res) => {
    await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res);
      if (access.identity === null) throw new ApiError('AUTH_REQUIRED', 'Sign in, or use your guest token, to leave.');
      const released = await releaseSlot(tx, access.meeting.id, access.identity);
      if (released) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: access.meeting.id });
      // Leaving twice is harmless; leaving a meeting never joined is a mistake worth reporting.
      if (!released && !(await hasEverJoined(tx, access.meeting.id, access.identity))) {
        throw new ApiError('PARTICIPANT_NOT_FOUND', 'You are not in this meeting.');
      }
    });
    reply(res, 'POST /meetings/:id/leave', 200, { ok: true });
  });

  on(router, 'GET /meetings/:id/participants', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    const participants = await listPresent(db, access.meeting.id);
    const inMeeting = access.identity !== null && participants.some((p) => p.identity === access.identity);
    if (!inMeeting && !isModerator(access.role)) {
      if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to see who is here.');
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only participants and hosts see who is here.');
    }
    reply(res, 'GET /meetings/:id/participants', 200, participants);
  });

  return router;
}
