import { z } from 'zod';
import type { RateLimitSettings } from './http/rate-limits.js';
import { LIVEKIT_TOKEN_TTL_SECONDS } from './livekit/access-token.js';

/**
 * How long a granted seat waits for its holder to connect (the LiveKit token lives as long, so a
 * seat can never be given away while its token could still connect), and how many seats guests
 * from one address may hold in one meeting at once.
 */
export const DEFAULT_SEAT_LIMITS = { holdSeconds: LIVEKIT_TOKEN_TTL_SECONDS, guestSeatsPerAddress: 3 } as const;

/** Event streams open at once per caller, and per address for guests; 0 turns a cap off. */
export const DEFAULT_STREAM_LIMITS = { perCaller: 5, perGuestAddress: 20 } as const;

/**
 * The reconciliation sweep (services/reconciler.ts): seconds between sweeps, and how long an active
 * meeting may stay empty before it ends by itself; 0 turns either off.
 */
export const DEFAULT_RECONCILE = { intervalSeconds: 30, emptyMeetingEndSeconds: 600 } as const;

/** Attempts per outgoing webhook before it is given up (about two hours of backoff at the default). */
export const DEFAULT_WEBHOOK_ATTEMPTS = 15;

/** A Standard Webhooks secret: `whsec_` and 24 to 64 random bytes in base64. */
function isWebhookSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (match?.[1] === undefined) return false;
  const bytes = Buffer.from(match[1], 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/** Requests per window and caller; the environment's RATE_LIMIT_* variables override them. */
export const DEFAULT_RATE_LIMITS = { windowSeconds: 60, join: 30, chat: 120, auth: 20, hand: 60, poll: 120 } as const;

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true');

const schema = z
  .object({
    NODE_ENV: optionalText,
    PORT: port.default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    METRICS_TOKEN: optionalText.pipe(z.string().min(16).optional()),
    DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    PGLITE_DIR: z.string().min(1).default('./.data/pglite'),
    // Where the embedded media server writes recordings and this server serves them from.
    RECORDINGS_DIR: z.string().min(1).default('./.data/recordings'),
    LIVEKIT_URL: optionalText.pipe(z.url({ protocol: /^(wss?|https?)$/ }).optional()),
    LIVEKIT_API_KEY: optionalText,
    LIVEKIT_API_SECRET: optionalText,
    MEDIA_PORT: port.default(7880),
    AUTH_JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    AUTH_JWKS_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    AUTH_ISSUER: optionalText,
    AUTH_AUDIENCE: optionalText,
    SESSION_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    ALLOWED_ORIGINS: optionalText,
    MEETING_DEV_MODE: flag,
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_RATE_LIMITS.windowSeconds),
    RATE_LIMIT_JOIN: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.join),
    RATE_LIMIT_CHAT: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.chat),
    RATE_LIMIT_AUTH: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.auth),
    RATE_LIMIT_HAND: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.hand),
    RATE_LIMIT_POLL: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.poll),
    SEAT_HOLD_SECONDS: z.coerce.number().int().min(10).max(600).default(DEFAULT_SEAT_LIMITS.holdSeconds),
    GUEST_SEATS_PER_ADDRESS: z.coerce.number().int().min(0).max(1000).default(DEFAULT_SEAT_LIMITS.guestSeatsPerAddress),
    EVENT_STREAMS_PER_CALLER: z.coerce.number().int().min(0).max(1000).default(DEFAULT_STREAM_LIMITS.perCaller),
    EVENT_STREAMS_PER_ADDRESS: z.coerce.number().int().min(0).max(10000).default(DEFAULT_STREAM_LIMITS.perGuestAddress),
    RECONCILE_INTERVAL_S: z.coerce.number().int().min(0).max(3600).default(DEFAULT_RECONCILE.intervalSeconds),
    EMPTY_MEETING_END_S: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(DEFAULT_RECONCILE.emptyMeetingEndSeconds),
    WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    WEBHOOK_SECRET: optionalText.pipe(z.string().refine(isWebhookSecret, 'must be whsec_ followed by a base64 key of 24 to 64 bytes').optional()),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULT_WEBHOOK_ATTEMPTS),
    PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    LIVEKIT_CREATE_ROOMS: z
      .enum(['0', '1', 'true', 'false', ''])
      .optional()
      .transform((value) => value === undefined || value === '' || value === '1' || value === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.MEETING_DEV_MODE && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['MEETING_DEV_MODE'], message: 'cannot be on when NODE_ENV=production' });
    }
    if (env.NODE_ENV === 'production') {
      for (const issue of productionIssues(env)) ctx.addIssue({ code: 'custom', path: [issue.variable], message: issue.message });
    }
    if ((env.WEBHOOK_URL === undefined) !== (env.WEBHOOK_SECRET === undefined)) {
      ctx.addIssue({ code: 'custom', path: [env.WEBHOOK_URL === undefined ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET'], message: 'WEBHOOK_URL and WEBHOOK_SECRET go together' });
    }
    if (env.LIVEKIT_URL !== undefined) {
      for (const key of ['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const) {
        if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when LIVEKIT_URL is set' });
      }
    }
  });

/**
 * What a production deployment must not run with, one line per problem: each of these would let
 * anyone who read this project's source act as a host, or hand LiveKit rooms to anyone.
 */
function productionIssues(env: {
  LIVEKIT_API_KEY?: string | undefined;
  LIVEKIT_API_SECRET?: string | undefined;
  SESSION_SECRET?: string | undefined;
  AUTH_JWT_SECRET?: string | undefined;
  AUTH_JWKS_URL?: string | undefined;
}): Array<{ variable: string; message: string }> {
  const issues: Array<{ variable: string; message: string }> = [];
  const key = env.LIVEKIT_API_KEY;
  const secret = env.LIVEKIT_API_SECRET;
  if (key === undefined || secret === undefined || key === DEV_LIVEKIT_CREDENTIALS.apiKey || secret === DEV_LIVEKIT_CREDENTIALS.apiSecret) {
    issues.push({ variable: 'LIVEKIT_API_KEY', message: "must be your LiveKit deployment's own key and secret in production, not LiveKit's development devkey/secret" });
  }
  if (env.SESSION_SECRET === undefined) {
    issues.push({ variable: 'SESSION_SECRET', message: `is required in production (at least ${String(MIN_SECRET_BYTES)} random bytes, the same on every instance)` });
  } else if (Buffer.byteLength(env.SESSION_SECRET, 'utf8') < MIN_SECRET_BYTES) {
    issues.push({ variable: 'SESSION_SECRET', message: `must be at least ${String(MIN_SECRET_BYTES)} bytes in production` });
  }
  if (env.AUTH_JWT_SECRET === undefined && env.AUTH_JWKS_URL === undefined) {
    issues.push({ variable: 'AUTH_JWT_SECRET', message: 'or AUTH_JWKS_URL is required in production: users sign in with your identity provider' });
  }
  return issues;
}

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Bearer required by GET /metrics; unset: metrics are open in development and closed in production. */
  metricsToken: string | undefined;
  production: boolean;
  devMode: boolean;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };
  /** `embedded`: no LiveKit configured, so the development media server on MEDIA_PORT is used. */
  livekit: { url: string; embedded: boolean; apiKey: string; apiSecret: string };
  auth: { secret?: string | undefined; jwksUrl?: string | undefined; issuer?: string | undefined; audience?: string | undefined };
  /** Signs this server's own tokens (dev sessions, guests); shared by all instances. */
  sessionSecret: string;
  /** Origins allowed by CORS; undefined means any localhost origin (development). */
  allowedOrigins: string[] | undefined;
  /** How many proxies (load balancers) stand in front; their X-Forwarded-For is believed. */
  trustProxy: number;
  rateLimits: RateLimitSettings;
  seats: { holdSeconds: number; guestSeatsPerAddress: number };
  streams: { perCaller: number; perGuestAddress: number };
  /** This server creates each meeting's LiveKit room before its first token (LiveKit with room.auto_create off). */
  createRooms: boolean;
  /** Outgoing webhooks to the host application; undefined: none. */
  webhooks: { url: string; secret: string; maxAttempts: number } | undefined;
  /** The server's public origin (links in webhooks); undefined: links are paths. */
  publicUrl: string | undefined;
  /** The folder recording files are served from (and the embedded media server writes them to). */
  recordingsDir: string;
  /** The reconciliation sweep; 0 turns a part off. */
  reconcile: { intervalSeconds: number; emptyMeetingEndSeconds: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Shortest SESSION_SECRET accepted in production. */
export const MIN_SECRET_BYTES = 32;

/** LiveKit's own development credentials (`livekit-server --dev`), used by the embedded media server. */
export const DEV_LIVEKIT_CREDENTIALS = { apiKey: 'devkey', apiSecret: 'secret' } as const;

/** Reads and checks the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid server configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const apiKey = e.LIVEKIT_API_KEY ?? DEV_LIVEKIT_CREDENTIALS.apiKey;
  const apiSecret = e.LIVEKIT_API_SECRET ?? DEV_LIVEKIT_CREDENTIALS.apiSecret;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    production: e.NODE_ENV === 'production',
    devMode: e.MEETING_DEV_MODE,
    database: e.DATABASE_URL === undefined ? { kind: 'pglite', dir: e.PGLITE_DIR } : { kind: 'postgres', url: e.DATABASE_URL },
    livekit: { url: e.LIVEKIT_URL ?? `ws://127.0.0.1:${e.MEDIA_PORT}`, embedded: e.LIVEKIT_URL === undefined, apiKey, apiSecret },
    auth: { secret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    // Every instance already shares the LiveKit secret, so the default needs no new setting.
    sessionSecret: e.SESSION_SECRET ?? `${apiKey}:${apiSecret}:meeting-widget-sessions`,
    allowedOrigins: e.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    trustProxy: e.TRUST_PROXY,
    rateLimits: { windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS, join: e.RATE_LIMIT_JOIN, chat: e.RATE_LIMIT_CHAT, auth: e.RATE_LIMIT_AUTH, hand: e.RATE_LIMIT_HAND, poll: e.RATE_LIMIT_POLL },
    seats: { holdSeconds: e.SEAT_HOLD_SECONDS, guestSeatsPerAddress: e.GUEST_SEATS_PER_ADDRESS },
    streams: { perCaller: e.EVENT_STREAMS_PER_CALLER, perGuestAddress: e.EVENT_STREAMS_PER_ADDRESS },
    createRooms: e.LIVEKIT_CREATE_ROOMS,
    reconcile: { intervalSeconds: e.RECONCILE_INTERVAL_S, emptyMeetingEndSeconds: e.EMPTY_MEETING_END_S },
    webhooks: e.WEBHOOK_URL === undefined || e.WEBHOOK_SECRET === undefined ? undefined : { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, maxAttempts: e.WEBHOOK_MAX_ATTEMPTS },
    publicUrl: e.PUBLIC_URL,
    recordingsDir: e.RECORDINGS_DIR,
  };
}
