/** meeting-widget/server: the token/policy server, to mount in a host's own process or run alone. */
export { createApp, BODY_LIMIT_BYTES, type AppDeps } from './app.js';
export { ApiError, ERROR_STATUS, type ErrorCode, type ErrorBody } from './errors.js';
export { loadConfig, ConfigError, type ServerConfig } from './config.js';
export { listen, type RunningServer } from './listen.js';
