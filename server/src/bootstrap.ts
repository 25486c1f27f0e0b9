import { pino } from 'pino';
import type { AppDeps } from './app.js';
import { TokenVerifier } from './auth/verifier.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';

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

/** What `createApp` needs, made from a validated configuration. */
export function appDepsFromConfig(config: ServerConfig): AppDeps {
  return {
    logger: pino({ level: config.logLevel }),
    verifier: new TokenVerifier({ users: config.auth, selfSecret: config.sessionSecret }),
    devMode: config.devMode,
  };
}
