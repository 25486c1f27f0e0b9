import { Router } from 'express';
import { z } from 'zod';
import { DISPLAY_NAME_MAX, normaliseDisplayName } from '../domain/display-name.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import { JoinService, type JoinServiceDeps } from '../services/join-service.js';
import { hasEverJoined, listPresent, releaseSlot } from '../store/participants.js';
import { loadAccess, meetingParams } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { parseInput } from './validate.js';

export type ParticipationDeps = JoinServiceDeps & { limit: RateLimiter };

// Control characters are refused; hidden direction and zero-width characters are dropped, so a
// name cannot reverse the text around it or pass for someone else's.
const displayName = z
  .string()
  .max(400)
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
  .transform(normaliseDisplayName)
  .pipe(z.string().min(1, 'must have visible characters').max(DISPLAY_NAME_MAX));
export const joinBody = z.strictObject({ displayName: displayName.optional() }).optional();

export function participationRoutes(deps: ParticipationDeps, router: Router = Router()): Router {
  const { db } = deps;
  const joins = new JoinService(deps);

  router.post('/meetings/:id/join', deps.limit('join'), async (req, res) => {
    const body = parseInput(joinBody, req.body, 'body') ?? {};
    const { id } = parseInput(meetingParams, req.params, 'params');
    const result = await joins.join(id, res.locals.caller, body.displayName, req.ip ?? null);
    const guestToken = result.guestToken === null ? {} : { guestToken: result.guestToken };
    if (result.kind === 'waiting') {
      res.status(202).json({ status: 'waiting', waitingId: result.waitingId, ...guestToken });
      return;
    }
    res.json({ token: result.token, livekitUrl: result.livekitUrl, identity: result.identity, role: result.role, meeting: result.meeting, ...guestToken });
  });

  router.post('/meetings/:id/leave', async (req, res) => {
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
    res.json({ ok: true });
  });

  router.get('/meetings/:id/participants', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    const participants = await listPresent(db, access.meeting.id);
    const inMeeting = access.identity !== null && participants.some((p) => p.identity === access.identity);
    if (!inMeeting && !isModerator(access.role)) {
      if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to see who is here.');
      throw new ApiError('INSUFFICIENT_PERMISSION', 'Only participants and hosts see who is here.');
    }
    res.json(participants);
  });

  return router;
}
