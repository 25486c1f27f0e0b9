import cors from 'cors';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import helmet from 'helmet';
import { ApiError } from '../errors.js';

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * CORS for the embed case: the widget runs on the host's pages and calls this API from their
 * origin. `allowedOrigins` undefined allows any localhost origin (development), nothing else.
 * Bearer tokens, not cookies, carry identity, so credentials are never allowed.
 */
export function corsFor(allowedOrigins: string[] | undefined): RequestHandler {
  const allowed = new Set(allowedOrigins?.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  return cors({
    origin: (origin, callback) => {
      if (origin === undefined) {
        callback(null, false);
        return;
      }
      const normalised = origin.toLowerCase();
      callback(null, allowedOrigins === undefined ? LOCALHOST_ORIGIN.test(normalised) : allowed.has(normalised) || allowed.has('*'));
    },
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
    credentials: false,
    maxAge: 600,
  });
}

/** Security headers for JSON responses: nothing of ours is ever rendered as a page. */
export function apiHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}

export interface RateLimitOptions {
  /** Requests per window and key; 0 turns the limiter off. */
  limit: number;
  windowSeconds: number;
}

/**
 * Limits per signed-in user (or guest), and per IP address only for anonymous calls, so a whole
 * office behind one NAT can join the same meeting at once. Mount after authentication.
 */
export function perCallerRateLimit(name: string, options: RateLimitOptions, store?: Store): RequestHandler {
  if (options.limit <= 0) return (_req, _res, next) => next();
  return rateLimit({
    ...(store ? { store } : {}),
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    keyGenerator: (req: Request, res) => {
      const caller = res.locals.caller;
      if (caller?.kind === 'user') return `${name}:u:${caller.userId}`;
      if (caller?.kind === 'guest') return `${name}:g:${caller.guestId}`;
      return `${name}:ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime === undefined ? options.windowSeconds : Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      next(new ApiError('RATE_LIMITED', `Too many requests; try again in ${seconds} s.`));
    },
  });
}
