import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors.js';
import type { Caller } from '../auth/identity.js';
import type { TokenVerifier } from '../auth/verifier.js';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The verified caller; null for a request without Authorization. */
    caller: Caller | null;
  }
}

/** Verifies `Authorization: Bearer …` when present; a request without it proceeds anonymously. */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      res.locals.caller = null;
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) throw new ApiError('INVALID_TOKEN', 'Authorization must be "Bearer <token>".');
    res.locals.caller = await verifier.verify(match[1]);
    next();
  };
}

/** The caller, who must be a signed-in user (not a guest, not anonymous). */
export function requireUser(res: Response): Extract<Caller, { kind: 'user' }> {
  const caller = res.locals.caller;
  if (caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to do this.');
  if (caller.kind !== 'user') throw new ApiError('INSUFFICIENT_PERMISSION', 'Guests cannot do this.');
  return caller;
}
