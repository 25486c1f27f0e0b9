import { createApp } from './app.js';
import { appDepsFromConfig, loadConfigOrExit, openDatabase, startBackgroundTasks } from './bootstrap.js';
import { listen, SHUTDOWN_GRACE_MS } from './listen.js';

const config = loadConfigOrExit(process.env);
const db = await openDatabase(config);
const deps = appDepsFromConfig(config, db);
const { logger } = deps;
const running = await listen(createApp(deps), config.port, config.host);
logger.info(`meeting-widget server listening on ${running.url}`);
const background = startBackgroundTasks(deps, config);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Whatever happens below, the process is gone within the grace it documents.
  setTimeout(() => {
    logger.error('shutdown took longer than its grace; exiting anyway');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  // Event streams and long polls never end by themselves: they answer now, and their clients
  // reconnect, so only ordinary requests in flight use the grace.
  deps.events.drain();
  Promise.all([running.close(), background.stop()])
    .then(() => deps.events.close())
    .then(() => db.close())
    .then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'error while shutting down');
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
