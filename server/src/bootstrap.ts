import { mkdirSync } from 'node:fs';
import { pino } from 'pino';
import type { AppDeps } from './app.js';
import { TokenVerifier } from './auth/verifier.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openPGlite } from './db/pglite.js';
import { openPostgres } from './db/postgres.js';
import { MeetingEvents } from './events/meeting-events.js';
import { liveKitRecordingService } from './livekit/recording-service.js';
import { liveKitRoomService } from './livekit/room-service.js';
import { startReconciler, type Reconciler } from './services/reconciler.js';
import { startWebhookDispatcher, type WebhookDispatcher } from './services/webhook-dispatcher.js';
import { setWebhooksEnabled } from './store/webhook-outbox.js';

/** Reads the configuration, or prints what is wrong with it and exits: a readable fail-fast. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): ServerConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: ServerConfig): Promise<Database> {
  let db: Database;
  if (config.database.kind === 'postgres') {
    db = openPostgres({ connectionString: config.database.url });
  } else {
    const { dir } = config.database;
    if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
    db = await openPGlite(dir);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** What `createApp` needs, made from a validated configuration and an open database. */
export function appDepsFromConfig(config: ServerConfig, db: Database): AppDeps {
  const credentials = { apiKey: config.livekit.apiKey, apiSecret: config.livekit.apiSecret };
  return {
    roomService: liveKitRoomService(config.livekit.url, credentials),
    recordings: liveKitRecordingService(config.livekit.url, credentials),
    // Tokens never reach the logs, whatever a line carries.
    logger: pino({ level: config.logLevel, redact: { paths: ['*.authorization', '*.token', '*.guestToken', 'req.headers.authorization'], censor: '[redacted]' } }),
    metricsToken: config.metricsToken,
    metricsClosed: config.production && config.metricsToken === undefined,
    db,
    events: new MeetingEvents(db),
    livekit: { url: config.livekit.url, apiKey: config.livekit.apiKey, apiSecret: config.livekit.apiSecret },
    verifier: new TokenVerifier({ users: config.auth, selfSecret: config.sessionSecret, acceptSelfSignedUsers: config.devMode }),
    devMode: config.devMode,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    seats: config.seats,
    streams: config.streams,
    createRooms: config.createRooms,
    recordingsDir: config.recordingsDir,
  };
}

/** Work a running server does besides answering requests; `stop()` before closing the database. */
export interface BackgroundTasks {
  reconciler: Reconciler;
  /** Present when WEBHOOK_URL is set. */
  webhooks: WebhookDispatcher | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the background work of one instance: the reconciliation sweep (at once, then every
 * `config.reconcile.intervalSeconds`) and, with WEBHOOK_URL, the delivery of outgoing webhooks
 * (without it, events stop being recorded). Every instance may run both: their writes re-check
 * each row, and webhook deliveries are leased per event.
 */
export async function startBackgroundTasks(deps: AppDeps, config: Pick<ServerConfig, 'reconcile' | 'webhooks' | 'publicUrl'>): Promise<BackgroundTasks> {
  const reconciler = startReconciler(
    {
      db: deps.db,
      roomService: deps.roomService,
      // A meeting the sweep ends gets no token again, so the app's memory of its room never matters.
      rooms: { forget: () => undefined },
      logger: deps.logger,
      emptyMeetingEndSeconds: config.reconcile.emptyMeetingEndSeconds,
    },
    config.reconcile.intervalSeconds,
  );
  let webhooks: WebhookDispatcher | undefined;
  try {
    if (config.webhooks === undefined) await setWebhooksEnabled(deps.db, false);
    else webhooks = await startWebhookDispatcher(deps, { ...config.webhooks, publicUrl: config.publicUrl });
  } catch (err) {
    await reconciler.stop();
    throw err;
  }
  return {
    reconciler,
    webhooks,
    async stop() {
      await Promise.all([reconciler.stop(), webhooks?.stop()]);
    },
  };
}
