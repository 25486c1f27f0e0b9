import { createApp, type AppDeps } from '../../server/src/app.js';
import { appDepsFromConfig, openDatabase } from '../../server/src/bootstrap.js';
import { loadConfig } from '../../server/src/config.js';
import type { Database } from '../../server/src/db/database.js';
import { listen, type RunningServer } from '../../server/src/listen.js';
import { freshPGlite } from './pglite.js';

export type TestApp = RunningServer & { deps: AppDeps };

/**
 * The server on a free loopback port, configured as `env` says (logs silenced). Without `db` it
 * gets its own migrated in-memory PGlite, closed with the server; a given `db` is left open.
 * `overrides` set what the configuration does not (a short breakout grace): spans a test would
 * otherwise sit through.
 */
export async function startApp(env: Record<string, string> = {}, db?: Database, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  // Suites make many calls as one user; the rate-limit suite sets its own limits. Most suites run
  // without a media server, so the server does not create rooms unless a suite asks. Suites sign
  // their users with the server's own dev sign-in, which only dev mode honours.
  const devMode = env.NODE_ENV === 'production' ? {} : { MEETING_DEV_MODE: '1' };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...devMode, PGLITE_DIR: 'memory://', RATE_LIMIT_JOIN: '10000', RATE_LIMIT_CHAT: '10000', RATE_LIMIT_AUTH: '10000', RATE_LIMIT_HAND: '10000', RATE_LIMIT_POLL: '10000', LIVEKIT_CREATE_ROOMS: '0', ...env });
  // An in-memory PGlite comes from the migrated image (seconds faster than initdb and migrations).
  const database = db ?? (config.database.kind === 'pglite' && config.database.dir === 'memory://' ? await freshPGlite() : await openDatabase(config));
  const deps: AppDeps = { ...appDepsFromConfig(config, database), ...overrides };
  const running = await listen(createApp(deps), 0, '127.0.0.1');
  return {
    ...running,
    deps,
    async close() {
      await running.close();
      await deps.events.close();
      if (db === undefined) await database.close();
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request to the API; `token` becomes the bearer. */
export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: res.headers };
}
