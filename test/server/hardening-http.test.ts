import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';

function preflight(base: string, origin: string) {
  return fetch(`${base}/api/v1/meetings`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
}

describe('CORS', () => {
  let dev: TestApp;
  let prod: TestApp;
  before(async () => {
    dev = await startApp();
    prod = await startApp({ ALLOWED_ORIGINS: 'https://shop.example.com, https://app.example.org' });
  });
  after(async () => {
    await Promise.all([dev.close(), prod.close()]);
  });

  it('lets any localhost origin call the API in development', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const res = await preflight(dev.url, origin);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    }
    const foreign = await preflight(dev.url, 'https://evil.example');
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('lets only ALLOWED_ORIGINS call it when set', async () => {
    const allowed = await preflight(prod.url, 'https://shop.example.com');
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
    for (const origin of ['http://localhost:5173', 'https://shop.example.com.evil.io', 'https://evil.example']) {
      assert.equal((await preflight(prod.url, origin)).headers.get('access-control-allow-origin'), null, origin);
    }
    const actual = await fetch(`${prod.url}/api/v1/healthz`, { headers: { origin: 'https://app.example.org' } });
    assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example.org');
  });

  it('sends security headers with API answers', async () => {
    const res = await fetch(`${prod.url}/api/v1/healthz`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });
});

describe('rate limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startApp({ RATE_LIMIT_JOIN: '3', RATE_LIMIT_AUTH: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  after(async () => {
    await app.close();
  });

  const user = async () => app.deps.verifier.signUser({ userId: randomUUID(), email: 'u@example.com', name: 'U' });

  it('limits joins per user, with Retry-After, without limiting the user next to them', async () => {
    const host = await user();
    const meeting = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Limits', policy: { joinBeforeHost: true } } });
    const alice = await user();
    for (let i = 0; i < 3; i++) assert.equal((await api(app.url, 'POST', `/meetings/${meeting.body.id}/join`, { token: alice })).status, 200);
    const limited = await api<{ error: { code: string } }>(app.url, 'POST', `/meetings/${meeting.body.id}/join`, { token: alice });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // Same IP address, another user: a whole office behind one NAT still gets in.
    const bob = await user();
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.body.id}/join`, { token: bob })).status, 200);
  });

  it('limits anonymous calls by address', async () => {
    const host = await user();
    const meeting = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Open', policy: { joinBeforeHost: true, allowAnonymous: true } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await api(app.url, 'POST', `/meetings/${meeting.body.id}/join`, { body: { displayName: `Guest ${i}` } })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});
