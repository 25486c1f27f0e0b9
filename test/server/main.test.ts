import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError } from '../../server/src/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startMain(env: Record<string, string>) {
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', PGLITE_DIR: 'memory://', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('server configuration', () => {
  it('uses the contract defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
  });

  it('refuses dev mode in production', () => {
    assert.throws(() => loadConfig({ MEETING_DEV_MODE: '1', NODE_ENV: 'production' }), /MEETING_DEV_MODE: cannot be on when NODE_ENV=production/);
  });

  it('requires LiveKit credentials with a LiveKit URL, and defaults to the dev ones without', () => {
    assert.throws(() => loadConfig({ LIVEKIT_URL: 'wss://example.livekit.cloud' }), (err: unknown) => {
      return err instanceof ConfigError && /LIVEKIT_API_KEY/.test(err.message) && /LIVEKIT_API_SECRET/.test(err.message);
    });
    const config = loadConfig({});
    assert.deepEqual(config.livekit, { url: 'ws://127.0.0.1:7880', embedded: true, apiKey: 'devkey', apiSecret: 'secret' });
    assert.deepEqual(config.database, { kind: 'pglite', dir: './.data/pglite' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database, { kind: 'postgres', url: 'postgres://u@h/db' });
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://u@h/db' }), /DATABASE_URL/);
  });

  it('reads the reconciliation and webhook settings, and refuses a webhook without its secret or with a bad one', () => {
    const defaults = loadConfig({});
    assert.deepEqual(defaults.reconcile, { intervalSeconds: 30, emptyMeetingEndSeconds: 600 });
    assert.equal(defaults.webhooks, undefined);
    assert.deepEqual(loadConfig({ RECONCILE_INTERVAL_S: '5', EMPTY_MEETING_END_S: '0' }).reconcile, { intervalSeconds: 5, emptyMeetingEndSeconds: 0 });
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    assert.deepEqual(loadConfig({ WEBHOOK_URL: 'https://chat.example.com/hooks', WEBHOOK_SECRET: secret }).webhooks, { url: 'https://chat.example.com/hooks', secret, maxAttempts: 15 });
    assert.throws(() => loadConfig({ WEBHOOK_URL: 'https://chat.example.com/hooks' }), /WEBHOOK_SECRET: WEBHOOK_URL and WEBHOOK_SECRET go together/);
    assert.throws(() => loadConfig({ WEBHOOK_URL: 'https://chat.example.com/hooks', WEBHOOK_SECRET: 'hunter2' }), /WEBHOOK_SECRET: must be whsec_/);
    assert.throws(() => loadConfig({ WEBHOOK_URL: 'https://chat.example.com/hooks', WEBHOOK_SECRET: `whsec_${Buffer.alloc(8).toString('base64')}` }), /WEBHOOK_SECRET/);
    assert.throws(() => loadConfig({ WEBHOOK_URL: 'ftp://chat.example.com', WEBHOOK_SECRET: secret }), /WEBHOOK_URL/);
  });

  it('names every invalid variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }),
      (err: unknown) => err instanceof ConfigError && /PORT/.test(err.message) && /LOG_LEVEL/.test(err.message),
    );
  });
});

describe('server process', () => {
  it('fails fast with a readable message on bad configuration', async () => {
    const child = startMain({ PORT: '70000' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
    assert.match(stderr, /Invalid server configuration/);
    assert.match(stderr, /PORT/);
  });

  it('serves, then shuts down cleanly on SIGINT', async () => {
    const child = startMain({ PORT: '0' });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${stdout}`)));
    });
    const res = await fetch(`${url}/api/v1/healthz`);
    assert.deepEqual(await res.json(), { ok: true });
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    await assert.rejects(fetch(`${url}/api/v1/healthz`));
  });
});
