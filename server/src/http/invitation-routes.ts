import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import { answerInvitation, invitationsFor, invite } from '../store/invitations.js';
import { requireUser } from './authenticate.js';
import { assertModerator, assertNotEnded, loadAccess } from './meeting-access.js';
import type { RateLimiter } from './rate-limits.js';
import { parseInput } from './validate.js';

export const inviteBody = z
  .strictObject({
    emails: z
      .array(z.email().max(320).transform((email) => email.toLowerCase()))
      .max(100)
      .optional(),
    userIds: z.array(z.string().trim().min(1).max(255)).max(100).optional(),
  })
  .refine((body) => (body.emails?.length ?? 0) + (body.userIds?.length ?? 0) > 0, { message: 'give at least one e-mail address or user id' });

const invitationParams = z.object({ id: z.uuid() });

export function invitationRoutes(deps: { db: Database; limit: RateLimiter }, router: Router = Router()): Router {
  const { db } = deps;
  router.post('/meetings/:id/invitations', deps.limit('auth'), async (req, res) => {
    const body = parseInput(inviteBody, req.body, 'body');
    const invitations = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res);
      assertModerator(access);
      assertNotEnded(access.meeting);
      const invitedBy = access.caller?.kind === 'user' ? access.caller.userId : (access.identity ?? 'host');
      return invite(tx, access.meeting.id, invitedBy, { emails: [...new Set(body.emails ?? [])], userIds: [...new Set(body.userIds ?? [])] });
    });
    res.status(201).json(invitations);
  });

  router.get('/invitations', async (_req, res) => {
    const user = requireUser(res);
    res.json(await invitationsFor(db, user.userId, user.email));
  });

  for (const [path, status] of [
    ['accept', 'accepted'],
    ['decline', 'declined'],
  ] as const) {
    router.post(`/invitations/:id/${path}`, async (req, res) => {
      const user = requireUser(res);
      const { id } = parseInput(invitationParams, req.params, 'params');
      const answered = await answerInvitation(db, id, user.userId, user.email, status);
      // Someone else's invitation answers the same as a missing one: ids do not leak.
      if (answered === null) throw new ApiError('INVITATION_NOT_FOUND', 'No invitation with this id is addressed to you.');
      res.json(answered);
    });
  }

  return router;
}
