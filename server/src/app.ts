import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './errors.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { DEFAULT_RATE_LIMITS, DEFAULT_SEAT_LIMITS } from './config.js';
import { RoomEnsurer, roomsCreatedByLiveKit } from './livekit/room-ensurer.js';
import { RoomTokens } from './services/room-tokens.js';
import type { TokenVerifier } from './auth/verifier.js';
import { authenticate } from './http/authenticate.js';
import { devRoutes } from './http/dev-routes.js';
import { meetingRoutes } from './http/meeting-routes.js';
import { participationRoutes } from './http/participation-routes.js';
import { waitingRoutes } from './http/waiting-routes.js';
import { eventRoutes } from './http/event-routes.js';
import { invitationRoutes } from './http/invitation-routes.js';
import { chatRoutes } from './http/chat-routes.js';
import { moderationRoutes } from './http/moderation-routes.js';
import { databaseRateLimiter, type RateLimitSettings } from './http/rate-limits.js';
import { handRoutes } from './http/hand-routes.js';
import { on, reply } from './http/contract-routes.js';
import { pollRoutes } from './http/poll-routes.js';
import { breakoutRoutes } from './http/breakout-routes.js';
import { openApiDocument } from './http/openapi.js';
import { countFailures, createMetrics, observabilityRoutes, observeRequests, readiness } from './http/observability.js';
import { recordingRoutes } from './http/recording-routes.js';
import { cardRoutes } from './http/card-routes.js';
import { liveKitWebhookRoutes } from './http/livekit-webhook-routes.js';
import type { RecordingService } from './livekit/recording-service.js';
import type { RoomService } from './livekit/room-service.js';
import type { MeetingEvents } from './events/meeting-events.js';
import type { LiveKitCredentials } from './livekit/access-token.js';
import { apiHeaders, corsFor } from './http/hardening.js';
import type { Database } from './db/database.js';

export interface AppDeps {
  logger: Logger;
  db: Database;
  /** This instance's view of meeting events, fed by the database's notifications. */
  events: MeetingEvents;
  verifier: TokenVerifier;
  /** Where clients connect (`livekitUrl` in join answers) and the API credentials for tokens. */
  livekit: LiveKitCredentials & { url: string };
  /** The running rooms, for deliveries and moderation. */
  roomService: RoomService;
  recordings: RecordingService;
  /** When set, GET /metrics requires this bearer token. */
  metricsToken?: string | undefined;
  /** GET /metrics answers nothing (production without METRICS_TOKEN). */
  metricsClosed?: boolean;
  /** Enables `POST /api/v1/dev/session`; never in production. */
  devMode?: boolean;
  /** CORS origins; undefined allows any localhost origin (development). */
  allowedOrigins?: string[] | undefined;
  trustProxy?: number;
  /** Requests per window per caller; 0 turns a limiter off. */
  rateLimits?: RateLimitSettings;
  seats?: { holdSeconds: number; guestSeatsPerAddress: number };
  streams?: { perCaller: number; perGuestAddress: number };
  /** Create each meeting's room before its first token (LiveKit runs with room.auto_create off). Default on. */
  createRooms?: boolean;
  /** Recording files are served from this folder only (RECORDINGS_DIR); unset: none are served from disk. */
  recordingsDir?: string | undefined;
  /** How long people have to leave breakout rooms after a close before they are deleted (default 5 s). */
  breakoutGraceMs?: number;
}

/** Largest JSON body the API reads (contract: 64 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Errors thrown by body-parser carry a `type` that tells a client's mistake from ours. */
function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (isDatabaseUnavailable(err)) return new ApiError('DATABASE_UNAVAILABLE', 'The database cannot be reached right now; try again shortly.', undefined, { retryAfterSeconds: 2 });
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError('VALIDATION_FAILED', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new ApiError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON.');
    case 'request.aborted':
      return new ApiError('VALIDATION_FAILED', 'The request body was cut short.');
    default:
      return null;
  }
}

/** Builds the HTTP app without listening, so tests and hosts can mount or serve it as they like. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 0);

  const metrics = createMetrics(deps.db);
  // Routes talk to LiveKit through these, so its failures show in the metrics.
  deps = {
    ...deps,
    roomService: countFailures(deps.roomService, metrics.livekitErrors),
    recordings: countFailures(deps.recordings, metrics.livekitErrors),
  };
  const rooms = deps.createRooms === false ? roomsCreatedByLiveKit : new RoomEnsurer(deps.roomService);
  const tokens = new RoomTokens({ livekit: deps.livekit, rooms, seatHoldSeconds: deps.seats?.holdSeconds ?? DEFAULT_SEAT_LIMITS.holdSeconds });
  app.use(observeRequests(metrics, deps.logger));
  observabilityRoutes(metrics, deps.db, { token: deps.metricsToken, closed: deps.metricsClosed === true }, app.router);

  const api = express.Router();
  api.use(corsFor(deps.allowedOrigins));
  api.use(apiHeaders());
  api.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true }));

  on(api, 'GET /healthz', (_req, res) => {
    reply(res, 'GET /healthz', 200, { ok: true });
  });
  on(api, 'GET /readyz', readiness(deps.db));
  const contract = openApiDocument();
  on(api, 'GET /openapi.json', (_req, res) => {
    reply(res, 'GET /openapi.json', 200, contract);
  });

  // Signed by LiveKit, not by a user: before user authentication.
  liveKitWebhookRoutes({ ...deps, rooms }, api);
  api.use(authenticate(deps.verifier));
  // Each route module names the rule that protects each of its routes; here only the amounts.
  const limit = databaseRateLimiter(deps.db, deps.rateLimits ?? DEFAULT_RATE_LIMITS);
  // Each module adds its routes to this one router rather than mounting a router of its own, so a
  // request walks one list of routes instead of entering and leaving a router per module. Joining
  // is the busiest call, so its routes come first.
  participationRoutes(
    { ...deps, tokens, limit, joinPaths: metrics.joinPaths, guestSeatsPerAddress: deps.seats?.guestSeatsPerAddress ?? DEFAULT_SEAT_LIMITS.guestSeatsPerAddress },
    api,
  );
  if (deps.devMode === true) devRoutes({ verifier: deps.verifier, limit }, api);
  meetingRoutes({ ...deps, rooms, limit }, api);
  waitingRoutes({ ...deps, tokens }, api);
  eventRoutes(deps, api);
  invitationRoutes({ db: deps.db, limit }, api);
  chatRoutes({ ...deps, limit }, api);
  moderationRoutes(deps, api);
  handRoutes({ ...deps, limit }, api);
  pollRoutes({ ...deps, limit }, api);
  breakoutRoutes({ ...deps, tokens, limit }, api);
  recordingRoutes(deps, api);
  cardRoutes(deps, api);

  api.use((req, _res, next) => {
    next(new ApiError('NOT_FOUND', `No route for ${req.method} ${req.baseUrl}${req.path}.`));
  });

  app.use('/api/v1', api);

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const known = toApiError(err);
    if (known === null) {
      deps.logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    } else if (known.code === 'DATABASE_UNAVAILABLE') {
      deps.logger.warn({ err, method: req.method, path: req.path }, 'database unavailable');
    }
    const error = known ?? new ApiError('INTERNAL', 'Something went wrong on our side.');
    if (res.headersSent) {
      res.end();
      return;
    }
    // For the metrics: joins are counted by refusal code, not only by status.
    (res.locals as { errorCode?: string }).errorCode = error.code;
    if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(error.status).json(error.toBody());
  };
  app.use(onError);

  return app;
}
