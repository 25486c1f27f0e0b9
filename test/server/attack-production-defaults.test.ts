// Attack: a production deployment that forgot a setting. Today's defaults let anyone who read this
// project's source sign a user token (the session secret was derived from LiveKit's development
// key and secret) for a meeting's hostId, which GET /meetings/:id hands out, and act as host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { TokenVerifier } from '../../server/src/auth/verifier.js';
import { ConfigError, loadConfig } from '../../server/src/config.js';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const AUTH_SECRET = 'idp-secret-'.padEnd(48, 'x');
const LIVEKIT = { LIVEKIT_API_KEY: 'APIprodkey', LIVEKIT_API_SECRET: 'a-production-livekit-secret-of-some-length' };
const SAFE = { NODE_ENV: 'production', AUTH_JWT_SECRET: AUTH_SECRET, SESSION_SECRET: 'z'.repeat(48), ...LIVEKIT, LIVEKIT_URL: 'wss://livekit.example.com' };

type ErrorBody = { error: { code: string; message: string } };

/** The configuration error's lines about `variable`. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  assert.fail(`production started with ${JSON.stringify(env)}`);
}

describe('attack: unsafe production defaults', () => {
  it('refuses to start without each production requirement, one readable line each', () => {
    const withoutLiveKit: Record<string, string> = { ...SAFE };
    delete withoutLiveKit.LIVEKIT_URL;
    delete withoutLiveKit.LIVEKIT_API_KEY;
    delete withoutLiveKit.LIVEKIT_API_SECRET;
    assert.match(refusal(withoutLiveKit), /^ {2}LIVEKIT_API_KEY: .*development devkey\/secret$/m);
    assert.match(refusal({ ...SAFE, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }), /LIVEKIT_API_KEY: /);
    assert.match(refusal({ ...SAFE, LIVEKIT_API_SECRET: 'secret' }), /LIVEKIT_API_KEY: /);

    const noSession: Record<string, string> = { ...SAFE };
    delete noSession.SESSION_SECRET;
    assert.match(refusal(noSession), /^ {2}SESSION_SECRET: is required in production/m);
    // 32 characters but fewer than 32 bytes is impossible in UTF-8; 20 characters is short anyway.
    assert.match(refusal({ ...SAFE, SESSION_SECRET: 'short-secret-20-char' }), /SESSION_SECRET: /);

    const noAuth: Record<string, string> = { ...SAFE };
    delete noAuth.AUTH_JWT_SECRET;
    assert.match(refusal(noAuth), /^ {2}AUTH_JWT_SECRET: or AUTH_JWKS_URL is required in production/m);

    // Everything missing at once: every problem is named, each on its own line.
    const all = refusal({ NODE_ENV: 'production' });
    for (const variable of ['LIVEKIT_API_KEY', 'SESSION_SECRET', 'AUTH_JWT_SECRET']) assert.match(all, new RegExp(`^ {2}${variable}: `, 'm'));
    // And the safe set starts.
    assert.equal(loadConfig(SAFE).production, true);
  });

  it('the server process exits with those lines instead of serving', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A server that starts serving never exits by itself: give it a bounded while, then stop it.
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);
    assert.equal(code, 1, 'the process must refuse to start');
    assert.match(stderr, /SESSION_SECRET: is required in production/);
    assert.match(stderr, /LIVEKIT_API_KEY: /);
    assert.match(stderr, /AUTH_JWT_SECRET: or AUTH_JWKS_URL/);
  });

  describe('a production server', () => {
    let media: MediaServer;
    let app: TestApp;
    let hostToken: string;
    let meeting: MeetingView;

    before(async () => {
      media = await startMediaServer({ apiKey: LIVEKIT.LIVEKIT_API_KEY, apiSecret: LIVEKIT.LIVEKIT_API_SECRET, port: 0 });
      app = await startApp({ ...SAFE, LIVEKIT_URL: media.url });
      hostToken = await new SignJWT({ email: 'host@example.com', name: 'Host' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('idp-host-1')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(AUTH_SECRET));
      const created = await api<MeetingView>(app.url, 'POST', '/meetings', { token: hostToken, body: { title: 'Prod', policy: { allowAnonymous: true } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      meeting = created.body;
      assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: hostToken })).status, 200);
    });
    after(async () => {
      await app.close();
      await media.close();
    });

    it('honours no user token of its own making: a forged host token is refused', async () => {
      // The attacker signs a user token for the meeting's hostId, with the server's real session
      // secret (as if leaked) and with the secret today's code derived from LiveKit's dev credentials.
      const forgers = [
        new TokenVerifier({ users: {}, selfSecret: SAFE.SESSION_SECRET }),
        new TokenVerifier({ users: {}, selfSecret: 'devkey:secret:meeting-widget-sessions' }),
      ];
      for (const forger of forgers) {
        const forged = await forger.signUser({ userId: meeting.hostId, email: 'host@example.com', name: 'Host' });
        const res = await api<ErrorBody>(app.url, 'POST', `/meetings/${meeting.id}/lock`, { token: forged });
        assert.equal(res.status, 401, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'INVALID_TOKEN');
      }
      const status = await api<{ locked: boolean }>(app.url, 'GET', `/meetings/${meeting.id}/status`, { token: hostToken });
      assert.equal(status.body.locked, false);
      // No dev sign-in either.
      assert.equal((await api(app.url, 'POST', '/dev/session', { body: { name: 'Eve', email: 'eve@example.com' } })).status, 404);
    });

    it('still honours its guest tokens', async () => {
      const joined = await api<{ guestToken: string; role: string }>(app.url, 'POST', `/meetings/${meeting.id}/join`, { body: { displayName: 'Guest' } });
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
      const again = await api(app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: joined.body.guestToken });
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });

    it('keeps /metrics closed without METRICS_TOKEN', async () => {
      const res = await fetch(`${app.url}/metrics`);
      assert.equal(res.status, 403);
      assert.doesNotMatch(await res.text(), /meeting_http_requests_total/);
    });
  });
});
