import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, startApp, type TestApp } from '../support/app.js';

describe('metrics and readiness', () => {
  let app: TestApp;
  let secured: TestApp;

  before(async () => {
    app = await startApp();
    secured = await startApp({ METRICS_TOKEN: 'a-long-metrics-token-0123' });
  });
  after(async () => {
    await app.close();
    await secured.close();
  });

  it('counts requests by route pattern, not by path', async () => {
    const token = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'm@example.com', name: 'M' });
    await api(app.url, 'GET', `/meetings/${randomUUID()}`, { token });
    await api(app.url, 'GET', `/meetings/${randomUUID()}`, { token });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('meeting_http_requests_total') && l.includes('route="/api/v1/meetings/:id"') && l.includes('status="404"'));
    assert.ok(line, text.slice(0, 2000));
    assert.equal(Number(line.split(' ').at(-1)), 2);
    assert.match(text, /meeting_http_request_duration_seconds_bucket/);
    assert.match(text, /process_cpu_user_seconds_total/);
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no meeting ids in labels');
  });

  it('counts joins by outcome, failed LiveKit calls, and reports meetings, participants and waiters', async () => {
    const host = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'h@example.com', name: 'H' });
    const meeting = (await api<{ id: string }>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Metrics', policy: { waitingRoom: true, maxParticipants: 2 } } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    const guest = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'g@example.com', name: 'G' });
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: guest });
    await api(app.url, 'POST', `/meetings/${randomUUID()}/join`, { token: guest });
    // No LiveKit behind this app: the mute reaches for it and fails.
    const hostId = (await api<Array<{ identity: string }>>(app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host })).body[0]!.identity;
    await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/mute`, { token: host, body: { source: 'microphone' } });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (prefix: string) => Number(text.split('\n').find((l) => l.startsWith(prefix))?.split(' ').at(-1));
    assert.equal(value('meeting_joins_total{outcome="admitted"}'), 1);
    assert.equal(value('meeting_joins_total{outcome="waiting"}'), 1);
    assert.equal(value('meeting_joins_total{outcome="MEETING_NOT_FOUND"}'), 1);
    // The host's join read the meeting; the waiting guest and the unknown meeting were decided under the lock.
    assert.equal(value('meeting_join_decisions_total{path="read"}'), 1);
    assert.equal(value('meeting_join_decisions_total{path="locked"}'), 2);
    assert.doesNotMatch(text, /meeting_join_decisions_total\{path="remembered"\}/);
    assert.ok(value('meeting_active_meetings ') >= 1);
    assert.ok(value('meeting_present_participants ') >= 1);
    assert.ok(value('meeting_waiting_room_size ') >= 1);
    assert.equal(value('meeting_livekit_api_errors_total{call="muteSource"}'), 1);
  });

  it('counts joins decided from what the instance remembers of a meeting', async () => {
    const host = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'h2@example.com', name: 'H' });
    const meeting = (await api<{ id: string }>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Remembered' } })).body;
    const paths = async () => {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const value = (path: string) => Number(text.split('\n').find((l) => l.startsWith(`meeting_join_decisions_total{path="${path}"}`))?.split(' ').at(-1) ?? 0);
      return { read: value('read'), remembered: value('remembered') };
    };
    const before = await paths();
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host })).status, 200);
    for (const name of ['a', 'b']) {
      const token = await app.deps.verifier.signUser({ userId: randomUUID(), email: `${name}@example.com`, name });
      assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token })).status, 200);
    }
    const after = await paths();
    // The host's join started the meeting, so the next one read it again; the third was remembered.
    assert.equal(after.read - before.read, 2);
    assert.equal(after.remembered - before.remembered, 1);
  });

  it('requires the metrics token when one is configured', async () => {
    assert.equal((await fetch(`${secured.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${secured.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-value-123456' } })).status, 401);
    assert.equal((await fetch(`${secured.url}/metrics`, { headers: { authorization: 'Bearer a-long-metrics-token-0123' } })).status, 200);
  });

  it('is ready when the database answers', async () => {
    const ready = await api<{ ok: boolean; database: string }>(app.url, 'GET', '/readyz');
    assert.deepEqual(ready.body, { ok: true, database: 'ok' });
  });

  it('is not ready when the database is gone', async () => {
    const doomed = await startApp();
    await doomed.deps.db.close();
    try {
      const res = await api<{ ok: boolean }>(doomed.url, 'GET', '/readyz');
      assert.equal(res.status, 503);
      assert.equal(res.body.ok, false);
    } finally {
      await doomed.close().catch(() => undefined);
    }
  });
});
