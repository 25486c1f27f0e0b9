import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '../../server/src/domain/policy.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string; message: string; details?: Array<{ field: string }> } };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('meetings API', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let host: string;
  let hostId: string;
  let other: string;

  const signIn = async (email: string, name = 'Someone') => {
    const userId = randomUUID();
    return { token: await app.deps.verifier.signUser({ userId, email, name }), userId };
  };
  const createMeeting = async (body: unknown = { title: 'Weekly sync' }) => {
    const res = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const meetingCount = async () => Number((await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM meetings')).rows[0]?.n);

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({}, db);
    ({ token: host, userId: hostId } = await signIn('host@example.com', 'Hannah Host'));
    ({ token: other } = await signIn('other@example.com'));
  });
  after(async () => {
    await app.close();
    await handle.dispose();
  });

  it('creates a scheduled meeting hosted by the caller, with the default policy', async () => {
    const meeting = await createMeeting();
    assert.equal(meeting.title, 'Weekly sync');
    assert.equal(meeting.status, 'scheduled');
    assert.equal(meeting.hostId, hostId);
    assert.match(meeting.id, /^[0-9a-f-]{36}$/);
    assert.equal(meeting.roomName, `mtg_${meeting.id}`);
    assert.equal(meeting.startedAt, null);
    assert.equal(meeting.endedAt, null);
    assert.equal(meeting.participantCount, 0);
    assert.ok(Math.abs(Date.parse(meeting.createdAt) - Date.now()) < 60_000);
    assert.equal(meeting.policy.maxParticipants, 100);
    assert.equal(meeting.policy.waitingRoom, false);
  });

  it('fills the rest of a partial policy with defaults', async () => {
    const meeting = await createMeeting({ title: '  Board  ', policy: { waitingRoom: true, maxParticipants: 12, allowedEmailDomains: ['Example.com'] } });
    assert.equal(meeting.title, 'Board');
    // DEFAULT_POLICY itself is held to the contract's values in policy.test.ts.
    assert.deepEqual(meeting.policy, { ...DEFAULT_POLICY, waitingRoom: true, maxParticipants: 12, allowedEmailDomains: ['example.com'] });
  });

  it('refuses to create for anonymous callers and guests', async () => {
    const anonymous = await api<ErrorBody>(app.url, 'POST', '/meetings', { body: { title: 'x' } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'AUTH_REQUIRED');
    const guest = await app.deps.verifier.signGuest({ guestId: 'g1', meetingId: randomUUID(), name: 'G' });
    const asGuest = await api<ErrorBody>(app.url, 'POST', '/meetings', { token: guest, body: { title: 'x' } });
    assert.equal(asGuest.status, 403);
    assert.equal(asGuest.body.error.code, 'INSUFFICIENT_PERMISSION');
  });

  it('refuses invalid bodies, naming the fields, and stores nothing', async () => {
    const before = await meetingCount();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['body.title']],
      [{ title: '   ' }, ['body.title']],
      [{ title: 'x'.repeat(201) }, ['body.title']],
      [{ title: 42 }, ['body.title']],
      [{ title: 'ok', policy: { maxParticipants: 0 } }, ['body.policy.maxParticipants']],
      [{ title: 'ok', policy: { chat: 'loud', locked: 'yes' } }, ['body.policy.chat', 'body.policy.locked']],
      [{ title: 'ok', hostId: 'someone-else' }, ['body']],
      [[1, 2], ['body']],
      ['"just a string"', ['body']],
    ];
    for (const [body, fields] of cases) {
      const res =
        typeof body === 'string'
          ? await api<ErrorBody>(app.url, 'POST', '/meetings', { token: host, rawBody: body })
          : await api<ErrorBody>(app.url, 'POST', '/meetings', { token: host, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      if (typeof body !== 'string') {
        assert.deepEqual((res.body.error.details ?? []).map((d) => d.field).sort(), fields, JSON.stringify(body));
      }
    }
    assert.equal(await meetingCount(), before);
  });

  it('shows a meeting to those allowed to join it', async () => {
    const meeting = await createMeeting();
    const asHost = await api<MeetingView>(app.url, 'GET', `/meetings/${meeting.id}`, { token: host });
    assert.equal(asHost.status, 200);
    assert.deepEqual(asHost.body, meeting);
    assert.equal((await api(app.url, 'GET', `/meetings/${meeting.id}`, { token: other })).status, 200);
    const anonymous = await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'AUTH_REQUIRED');
  });

  it('shows an open meeting to anonymous callers, and a domain-restricted one only to its domain', async () => {
    const open = await createMeeting({ title: 'Open house', policy: { allowAnonymous: true } });
    assert.equal((await api(app.url, 'GET', `/meetings/${open.id}`)).status, 200);
    const restricted = await createMeeting({ title: 'Staff', policy: { allowedEmailDomains: ['corp.test'] } });
    const outsider = await api<ErrorBody>(app.url, 'GET', `/meetings/${restricted.id}`, { token: other });
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error.code, 'DOMAIN_NOT_ALLOWED');
    const { token: insider } = await signIn('dev@eu.corp.test');
    assert.equal((await api(app.url, 'GET', `/meetings/${restricted.id}`, { token: insider })).status, 200);
    assert.equal((await api(app.url, 'GET', `/meetings/${restricted.id}`, { token: host })).status, 200, 'the host passes the domain rule');
  });

  it('answers MEETING_NOT_FOUND for an unknown id and VALIDATION_FAILED for a malformed one', async () => {
    const missing = await api<ErrorBody>(app.url, 'GET', `/meetings/${randomUUID()}`, { token: host });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'MEETING_NOT_FOUND');
    const malformed = await api<ErrorBody>(app.url, 'GET', '/meetings/not-a-uuid', { token: host });
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.body.error.details?.map((d) => d.field), ['params.id']);
  });

  it('refuses a guest token made for another meeting', async () => {
    const meeting = await createMeeting({ title: 'Open', policy: { allowAnonymous: true } });
    const guest = await app.deps.verifier.signGuest({ guestId: 'g2', meetingId: randomUUID(), name: 'G' });
    const res = await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}`, { token: guest });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'INSUFFICIENT_PERMISSION');
  });

  it('lets the host change the title and part of the policy', async () => {
    const meeting = await createMeeting({ title: 'Draft', policy: { chat: 'hosts' } });
    const res = await api<MeetingView>(app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { title: 'Final', policy: { waitingRoom: true } } });
    assert.equal(res.status, 200);
    assert.equal(res.body.title, 'Final');
    assert.equal(res.body.policy.waitingRoom, true);
    assert.equal(res.body.policy.chat, 'hosts', 'untouched fields keep their value');
    const empty = await api<ErrorBody>(app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: {} });
    assert.equal(empty.status, 400);
    const bad = await api<ErrorBody>(app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { policy: { maxParticipants: 5000 } } });
    assert.equal(bad.status, 400);
    const stored = await api<MeetingView>(app.url, 'GET', `/meetings/${meeting.id}`, { token: host });
    assert.equal(stored.body.policy.maxParticipants, 100);
  });

  it('keeps attendees from changing, starting, ending, locking or deleting', async () => {
    const meeting = await createMeeting();
    const attempts: Array<[string, string, unknown]> = [
      ['PATCH', `/meetings/${meeting.id}`, { title: 'Mine now' }],
      ['POST', `/meetings/${meeting.id}/start`, undefined],
      ['POST', `/meetings/${meeting.id}/end`, undefined],
      ['POST', `/meetings/${meeting.id}/lock`, undefined],
      ['DELETE', `/meetings/${meeting.id}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api<ErrorBody>(app.url, method, path, { token: other, body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'INSUFFICIENT_PERMISSION');
      const anonymous = await api<ErrorBody>(app.url, method, path, { body });
      assert.equal(anonymous.status, 401, `${method} ${path}`);
    }
    const unchanged = await api<MeetingView>(app.url, 'GET', `/meetings/${meeting.id}`, { token: host });
    assert.deepEqual(unchanged.body, meeting);
  });

  it('starts, refuses a second start, ends, and refuses changes after the end', async () => {
    const meeting = await createMeeting();
    const started = await api<MeetingView>(app.url, 'POST', `/meetings/${meeting.id}/start`, { token: host });
    assert.equal(started.status, 200);
    assert.equal(started.body.status, 'active');
    assert.ok(started.body.startedAt !== null);
    const again = await api<ErrorBody>(app.url, 'POST', `/meetings/${meeting.id}/start`, { token: host });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'MEETING_ALREADY_ACTIVE');
    const ended = await api<MeetingView>(app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host });
    assert.equal(ended.status, 200);
    assert.equal(ended.body.status, 'ended');
    assert.ok(ended.body.endedAt !== null);
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host })).status, 200, 'ending twice is harmless');
    for (const [method, path, body] of [
      ['POST', `/meetings/${meeting.id}/start`, undefined],
      ['PATCH', `/meetings/${meeting.id}`, { title: 'Later' }],
      ['POST', `/meetings/${meeting.id}/lock`, undefined],
    ] as const) {
      const res = await api<ErrorBody>(app.url, method, path, { token: host, body });
      assert.equal(res.status, 410, `${method} ${path}`);
      assert.equal(res.body.error.code, 'MEETING_ENDED');
    }
  });

  it('locks and unlocks, and reports it in the status', async () => {
    const meeting = await createMeeting();
    const locked = await api<MeetingView>(app.url, 'POST', `/meetings/${meeting.id}/lock`, { token: host });
    assert.equal(locked.body.policy.locked, true);
    const status = await api(app.url, 'GET', `/meetings/${meeting.id}/status`, { token: other });
    assert.deepEqual(status.body, { status: 'scheduled', participantCount: 0, waitingCount: 0, locked: true });
    const unlocked = await api<MeetingView>(app.url, 'POST', `/meetings/${meeting.id}/unlock`, { token: host });
    assert.equal(unlocked.body.policy.locked, false);
  });

  it('deletes a meeting for its host only', async () => {
    const meeting = await createMeeting();
    const res = await api(app.url, 'DELETE', `/meetings/${meeting.id}`, { token: host });
    assert.equal(res.status, 204);
    assert.equal((await api(app.url, 'GET', `/meetings/${meeting.id}`, { token: host })).status, 404);
    const policies = await app.deps.db.query('SELECT 1 FROM meeting_security_policies WHERE meeting_id = $1', [meeting.id]);
    assert.equal(policies.rowCount, 0);
  });
});
