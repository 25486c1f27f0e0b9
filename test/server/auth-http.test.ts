import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { api, startApp } from '../support/app.js';

type ErrorBody = { error: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

/** The least a production deployment must set (see attack-production-defaults.test.ts). */
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'x'.repeat(40),
  LIVEKIT_URL: 'wss://livekit.example.com',
  LIVEKIT_API_KEY: 'APIprodkey',
  LIVEKIT_API_SECRET: 'a-production-livekit-secret-of-some-length',
  SESSION_SECRET: 's'.repeat(40),
};

describe('authentication over HTTP', () => {
  let dev: Awaited<ReturnType<typeof startApp>>;
  let prod: Awaited<ReturnType<typeof startApp>>;

  before(async () => {
    dev = await startApp({ MEETING_DEV_MODE: '1' });
    prod = await startApp(PRODUCTION);
  });
  after(async () => {
    await Promise.all([dev.close(), prod.close()]);
  });

  it('signs a dev user in, with a stable id per e-mail', async () => {
    const first = await api<{ token: string; userId: string }>(dev.url, 'POST', '/dev/session', { body: { name: 'Ada', email: 'Ada@Example.com' } });
    assert.equal(first.status, 201);
    const caller = await dev.deps.verifier.verify(first.body.token);
    assert.deepEqual(caller, { kind: 'user', userId: first.body.userId, email: 'ada@example.com', name: 'Ada' });
    assert.match(first.body.userId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await api<{ userId: string }>(dev.url, 'POST', '/dev/session', { body: { name: 'Ada L.', email: 'ada@example.com' } });
    assert.equal(again.body.userId, first.body.userId);
  });

  it('names each invalid field of a dev sign-in', async () => {
    const res = await api<ErrorBody>(dev.url, 'POST', '/dev/session', { body: { name: '', email: 'nope', admin: true } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    const fields = (res.body.error.details ?? []).map((d) => d.field).sort();
    assert.deepEqual(fields, ['body', 'body.email', 'body.name']);
  });

  it('has no dev sign-in outside dev mode', async () => {
    const res = await api<ErrorBody>(prod.url, 'POST', '/dev/session', { body: { name: 'Ada', email: 'ada@example.com' } });
    assert.equal(res.status, 404);
  });

  it('refuses a malformed Authorization header or a bad token with INVALID_TOKEN', async () => {
    for (const headers of [{ authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { authorization: 'Bearer not.a.jwt' }]) {
      const res = await api<ErrorBody>(prod.url, 'GET', '/anything', { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.body.error.code, 'INVALID_TOKEN');
    }
    const expired = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(new TextEncoder().encode('x'.repeat(40)));
    const res = await api<ErrorBody>(prod.url, 'GET', '/anything', { token: expired });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /expired/);
  });

  it('accepts a token from the configured identity provider', async () => {
    const token = await new SignJWT({ sub: 'user-1', email: 'u@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(40)));
    const res = await api<ErrorBody>(prod.url, 'GET', '/anything', { token });
    // Authenticated, and the route does not exist: the token itself was fine.
    assert.equal(res.status, 404);
  });

  it('keeps the health check open to anyone', async () => {
    const res = await api(prod.url, 'GET', '/healthz', { headers: { authorization: 'Bearer junk' } });
    assert.equal(res.status, 200);
  });
});
