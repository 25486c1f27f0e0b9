// What an operator watches: Prometheus metrics, a readiness probe and one log line per request.
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database.js';
import { countActiveMeetings, countAllWaiting, countPresentParticipants, ping } from '../store/stats.js';
import { countOutbox } from '../store/webhook-outbox.js';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  joins: Counter<'outcome'>;
  joinPaths: Counter<'path'>;
  livekitErrors: Counter<'call'>;
}

/** A registry per app, so several apps in one process (tests, embedding) never collide. */
export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Read from the database when scraped, so every instance reports the same shared truth.
  const gauge = (name: string, help: string, read: (sql: Database) => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await read(db).catch(() => 0));
      },
    });
  gauge('meeting_active_meetings', 'Meetings in progress.', countActiveMeetings);
  gauge('meeting_present_participants', 'Participants holding a slot in a meeting now.', countPresentParticipants);
  gauge('meeting_waiting_room_size', 'People waiting to be admitted, across meetings.', countAllWaiting);
  new Gauge({
    name: 'meeting_webhook_events',
    help: 'Outgoing webhook events in the outbox by state: pending (not yet delivered), delivered and failed (given up), the last two kept for 7 days.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await countOutbox(db).catch(() => ({ pending: 0, delivered: 0, failed: 0 }));
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return {
    joins: new Counter({
      name: 'meeting_joins_total',
      help: 'Join requests by outcome: admitted, waiting, or the refusal code.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    joinPaths: new Counter({
      name: 'meeting_join_decisions_total',
      help: 'How joins were decided: "remembered" (from what this instance last saw of the meeting, then claimed), "read" (on a fresh read, then claimed), or "locked" (inside a transaction holding the meeting lock: waits, refusals, and joins whose claim found something changed).',
      labelNames: ['path'],
      registers: [registry],
    }),
    livekitErrors: new Counter({
      name: 'meeting_livekit_api_errors_total',
      help: "Failed calls to LiveKit's server API, by call.",
      labelNames: ['call'],
      registers: [registry],
    }),
    registry,
    requests: new Counter({
      name: 'meeting_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'meeting_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers: [registry],
    }),
  };
}

/** Counts and times every request, and logs it; the route pattern (not the path) keeps labels few. */
export function observeRequests(metrics: Metrics, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path;
      // The router's mount path is gone by the time the response finishes; the API has one prefix.
      const prefix = req.originalUrl.startsWith('/api/v1/') ? '/api/v1' : '';
      const pattern = route ? `${prefix}${route}` : 'unmatched';
      metrics.requests.inc({ method: req.method, route: pattern, status: String(res.statusCode) });
      metrics.duration.observe({ method: req.method, route: pattern }, seconds);
      if (pattern === '/api/v1/meetings/:id/join' && req.method === 'POST') {
        const code = (res.locals as { errorCode?: string }).errorCode;
        metrics.joins.inc({ outcome: res.statusCode === 200 ? 'admitted' : res.statusCode === 202 ? 'waiting' : (code ?? String(res.statusCode)) });
      }
      // Paths only: a query string or a header may carry a token.
      logger.info({ method: req.method, route: pattern, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}

/**
 * GET /metrics, behind `access.token` when set. Closed (production without METRICS_TOKEN), it
 * serves nothing, whoever asks.
 */
export function observabilityRoutes(metrics: Metrics, db: Database, access: { token: string | undefined; closed: boolean }, router: Router = Router()): Router {
  router.get('/metrics', async (req, res) => {
    if (access.closed) {
      res.status(403).json({ error: { code: 'INSUFFICIENT_PERMISSION', message: 'Metrics are off: set METRICS_TOKEN to serve them in production.' } });
      return;
    }
    const metricsToken = access.token;
    if (metricsToken !== undefined && req.get('authorization') !== `Bearer ${metricsToken}`) {
      res.status(401).json({ error: { code: 'AUTH_REQUIRED', message: 'The metrics need the METRICS_TOKEN bearer.' } });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** Ready when the database answers; a load balancer stops sending traffic otherwise. */
export function readiness(db: Database): RequestHandler {
  return async (_req, res) => {
    try {
      await ping(db);
      res.json({ ok: true, database: 'ok' });
    } catch {
      res.status(503).json({ ok: false, database: 'unreachable' });
    }
  };
}

/** Wraps a port to LiveKit so every failed call is counted before it propagates. */
export function countFailures<T extends object>(port: T, counter: Counter<'call'>): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          counter.inc({ call: String(key) });
          throw error;
        }
      };
    },
  });
}
