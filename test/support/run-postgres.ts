// One PostgreSQL cluster for a whole `npm test` run: scripts/test.mjs starts this, reads the URL it
// prints and hands it to every suite in TEST_POSTGRES_URL, so each test file creates a database on
// it instead of running initdb and starting a cluster of its own. Stops the cluster when its parent
// closes stdin or sends SIGTERM.
import { startPostgresCluster } from './postgres.js';

const cluster = await startPostgresCluster();
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: cluster.url })}\n`);
