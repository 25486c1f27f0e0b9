// `npm run test:livekit` without a LiveKit named: one line saying what to set, success, nothing run;
// and the suites it names all exist (it checks them first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run test:livekit', () => {
  it('skips with a clear line when LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set', () => {
    const env = { ...process.env };
    delete env.LIVEKIT_URL;
    delete env.LIVEKIT_API_KEY;
    env.LIVEKIT_API_SECRET = 'only-this-one';
    const result = spawnSync(process.execPath, ['scripts/test-livekit.mjs'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^test:livekit skipped: set LIVEKIT_URL, LIVEKIT_API_KEY to the LiveKit to test/);
  });
});
