// `npm run test:livekit`: the suites that hold for any LiveKit-compatible server, run against the
// LiveKit named by LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET instead of the embedded media
// server, so an operator can prove a deployment: rtc-node's conformance, the bots, resume, per-viewer
// simulcast layers, connection quality, subscription permissions, the CDN bundle in a call and the
// widget in a meeting of 30 bots. Each asserts only what a client or the server API can observe; a
// check that reads the embedded server's own counters skips itself there. Without the three
// variables this says so in one line and ends without error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const FILES = [
  'test/e2e/media-rtc-node.test.ts',
  'test/e2e/media-bots.test.ts',
  'test/e2e/media-resume.test.ts',
  'test/e2e/media-simulcast-layers.test.ts',
  'test/e2e/media-connection-quality.test.ts',
  'test/e2e/attack-media-subscription-permission.test.ts',
  'test/e2e/cdn-bundle-call.test.ts',
  'test/large/media-large-meeting.test.ts',
];
// Checked even when skipping, so a renamed suite is noticed by `npm test` (which runs the skip).
const gone = FILES.filter((file) => !existsSync(join(root, file)));
if (gone.length > 0) {
  console.error(`test:livekit names suites that do not exist: ${gone.join(', ')}`);
  process.exit(2);
}

const missing = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.log(`test:livekit skipped: set ${missing.join(', ')} to the LiveKit to test (its ws:// or wss:// URL and an API key and secret of it).`);
  process.exit(0);
}

const run = (command, args, env = {}) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

console.log(`test:livekit against ${process.env.LIVEKIT_URL}`);
// The widget pages load the built CDN bundle.
if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);
process.exit(run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...FILES], { MEETING_TEST_LIVEKIT: '1' }));
