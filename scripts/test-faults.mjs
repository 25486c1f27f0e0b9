// `npm run test:faults`: only the fault suites (files named faults-*.test.ts), wherever they live:
// node:test for the server and end-to-end ones, web-test-runner in Chromium for the browser ones.
// `npm test` runs them too, with everything else; this is for working on recovery alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function faultFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((name) => /(^|\/)faults-[^/]+\.test\.ts$/.test(name))
    .map((name) => join(dir, name))
    .sort();
}

const nodeFiles = [...faultFiles('test/server'), ...faultFiles('test/e2e')];
const browserFiles = [...faultFiles('test/core'), ...faultFiles('test/media'), ...faultFiles('test/components')];
if (nodeFiles.length + browserFiles.length === 0) {
  console.error('No fault suites found (faults-*.test.ts).');
  process.exit(1);
}

let failed = false;
if (nodeFiles.length > 0) {
  console.log(`\n━━ fault suites (node): ${nodeFiles.join(', ')} ━━`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...nodeFiles], { cwd: root, stdio: 'inherit' });
  failed ||= run.status !== 0;
}
if (browserFiles.length > 0) {
  console.log(`\n━━ fault suites (Chromium): ${browserFiles.join(', ')} ━━`);
  const run = spawnSync(join(root, 'node_modules/.bin/wtr'), [], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WTR_FILES: browserFiles.join(','), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
  });
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
