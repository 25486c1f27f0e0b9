/** meeting-widget/server: the token/policy server, to mount in a host's own process or run alone. */
export { createApp, BODY_LIMIT_BYTES, type AppDeps } from './app.js';
export { ApiError, ERROR_STATUS, type ErrorCode, type ErrorBody } from './errors.js';
export { loadConfig, ConfigError, DEV_LIVEKIT_CREDENTIALS, type ServerConfig } from './config.js';
export { appDepsFromConfig, loadConfigOrExit, openDatabase, startBackgroundTasks, type BackgroundTasks } from './bootstrap.js';
export { reconcile, startReconciler, type Reconciler, type SweepResult } from './services/reconciler.js';
export { TokenVerifier, SELF_ISSUER, type VerifierOptions, type UserTokenSource } from './auth/verifier.js';
export type { Caller } from './auth/identity.js';
export { listen, type RunningServer } from './listen.js';
export type { Database, Sql, QueryResult } from './db/database.js';
export { openPGlite } from './db/pglite.js';
export { openPostgres, type PostgresOptions } from './db/postgres.js';
export { migrate, readMigrations, MIGRATIONS_DIR, type Migration } from './db/migrate.js';
