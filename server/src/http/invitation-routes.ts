import { Router } from 'express';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import { answerInvitation, invitationsFor, invite } from '../store/invitations.js';
import { requireUser } from './authenticate.js';
import { assertModerator, assertNotEnded, loadAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { input, on, reply } from './contract-routes.js';

export function invitationRoutes(deps: { db: Database; limit: RateLimiter }, router: Router = Router()): Router {
  const { db } = deps;
  on(router, 'POST /meetings/:id/invitations', deps.limit('auth'), async (req, res) => {
    const body = input('POST /meetings/:id/invitations', 'body', req.body);
    const invitations = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res);
      assertModerator(access);
      assertNotEnded(access.meeting);
      const invitedBy = access.caller?.kind === 'user' ? access.caller.userId : (access.identity ?? 'host');
      return invite(tx, access.meeting.id, invitedBy, { emails: [...new Set(body.emails ?? [])], userIds: [...new Set(body.userIds ?? [])] });
    });
    reply(res, 'POST /meetings/:id/invitations', 201, invitations);
  });

  on(router, 'GET /invitations', async (_req, res) => {
    const user = requireUser(res);
    reply(res, 'GET /invitations', 200, await invitationsFor(db, user.userId, user.email));
  });

  for (const [route, status] of [
    ['POST /invitations/:id/accept', 'accepted'],
    ['POST /invitations/:id/decline', 'declined'],
  ] as const) {
    on(router, route, async (req, res) => {
      const user = requireUser(res);
      const { id } = input(route, 'params', req.params);
      const answered = await answerInvitation(db, id, user.userId, user.email, status);
      // Someone else's invitation answers the same as a missing one: ids do not leak.
      if (answered === null) throw new ApiError('INVITATION_NOT_FOUND', 'No invitation with this id is addressed to you.');
      reply(res, route, 200, answered);
    });
  }

  return router;
}
