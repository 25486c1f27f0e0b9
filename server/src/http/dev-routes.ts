import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { TokenVerifier } from '../auth/verifier.js';
import type { RateLimiter } from './rate-limits.js';
import { input, on, reply } from './contract-routes.js';

/** The same e-mail always gets the same user id, shaped as a UUID like Supabase's. */
export function devUserId(email: string): string {
  const hex = createHash('sha256').update(`dev-user:${email}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Sign-in without an identity provider, for `npm start` and tests. Mounted only in dev mode. */
export function devRoutes(deps: { verifier: TokenVerifier; limit: RateLimiter }, router: Router = Router()): Router {
  const { verifier } = deps;
  on(router, 'POST /dev/session', deps.limit('auth'), async (req, res) => {
    const body = input('POST /dev/session', 'body', req.body);
    const email = body.email.toLowerCase();
    const userId = devUserId(email);
    const token = await verifier.signUser({ userId, email, name: body.name });
    reply(res, 'POST /dev/session', 201, { token, userId });
  });
  return router;
}
