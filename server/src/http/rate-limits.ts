// The rate-limit rules a route can ask for. Each route module names the rule that protects it
// where it declares the route (`router.post(path, deps.limit('join'), handler)`); the app only
// decides how much each rule allows.
import type { RequestHandler } from 'express';
import type { Database } from '../db/database.js';
import { perCallerRateLimit } from './hardening.js';
import { DatabaseRateLimitStore } from './rate-limit-store.js';

export const RATE_LIMIT_RULES = ['join', 'chat', 'auth', 'hand', 'poll'] as const;
export type RateLimitRule = (typeof RATE_LIMIT_RULES)[number];

/** Requests per window per caller, by rule; 0 turns a rule off. */
export type RateLimitSettings = { windowSeconds: number } & Record<RateLimitRule, number>;

/** Hands out the middleware of a rule; routes that share a rule share its counters. */
export type RateLimiter = (rule: RateLimitRule) => RequestHandler;

/** Limiters counted in the database, so the limits hold across instances. */
export function databaseRateLimiter(db: Database, settings: RateLimitSettings): RateLimiter {
  const made = new Map<RateLimitRule, RequestHandler>();
  return (rule) => {
    let handler = made.get(rule);
    if (handler === undefined) {
      handler = perCallerRateLimit(rule, { windowSeconds: settings.windowSeconds, limit: settings[rule] }, new DatabaseRateLimitStore(db, rule));
      made.set(rule, handler);
    }
    return handler;
  };
}

/** No limits at all, for routes mounted outside the app (tests of one module). */
export const unlimited: RateLimiter = () => (_req, _res, next) => {
  next();
};
