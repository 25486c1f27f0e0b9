// Every route, fed what a careless or hostile client sends: always a contract error, never a 500.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { SELF_AUDIENCE, SELF_ISSUER } from '../../server/src/auth/verifier.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';

const ROUTES: Array<[method: string, path: string]> = [
  ['POST', '/meetings'],
  ['GET', '/meetings/:id'],
  ['PATCH', '/meetings/:id'],
  ['DELETE', '/meetings/:id'],
  ['POST', '/meetings/:id/start'],
  ['POST', '/meetings/:id/end'],
  ['GET', '/meetings/:id/status'],
  ['POST', '/meetings/:id/join'],
  ['GET', '/meetings/:id/waiting'],
  ['GET', '/meetings/:id/waiting/:waitingId'],
  ['POST', '/meetings/:id/waiting/:waitingId/admit'],
  ['POST', '/meetings/:id/waiting/:waitingId/deny'],
  ['POST', '/meetings/:id/leave'],
  ['GET', '/meetings/:id/participants'],
  ['POST', '/meetings/:id/participants/:identity/mute'],
  ['POST', '/meetings/:id/participants/:identity/remove'],
  ['PUT', '/meetings/:id/participants/:identity/role'],
  ['POST', '/meetings/:id/lock'],
  ['POST', '/meetings/:id/unlock'],
  ['GET', '/meetings/:id/chat'],
  ['POST', '/meetings/:id/chat'],
  ['POST', '/meetings/:id/invitations'],
  ['GET', '/invitations'],
  ['POST', '/invitations/:id/accept'],
  ['POST', '/invitations/:id/decline'],
  ['POST', '/meetings/:id/recordings/start'],
  ['POST', '/meetings/:id/recordings/stop'],
  ['GET', '/meetings/:id/recordings'],
  ['GET', '/meetings/:id/polls'],
  ['POST', '/meetings/:id/polls'],
  ['POST', '/meetings/:id/polls/:pollId/votes'],
  ['POST', '/meetings/:id/polls/:pollId/close'],
  ['POST', '/meetings/:id/breakouts'],
  ['GET', '/meetings/:id/breakouts'],
  ['POST', '/meetings/:id/breakouts/close'],
  ['POST', '/meetings/:id/breakouts/:roomId/join'],
  ['POST', '/dev/session'],
];

const BODIES: Array<[what: string, raw: string, contentType: string]> = [
  ['malformed JSON', '{"title": ', 'application/json'],
  ['a JSON array', '[1,2,3]', 'application/json'],
  ['a JSON string', '"hello"', 'application/json'],
  ['null', 'null', 'application/json'],
  ['wrong types', '{"title": 42, "policy": "open", "text": [], "role": 7, "source": {}, "emails": "x", "displayName": false}', 'application/json'],
  ['unknown fields', '{"zzz": 1, "__proto__": {"admin": true}}', 'application/json'],
  ['form encoding', 'title=x', 'application/x-www-form-urlencoded'],
  ['a 100 KB body', JSON.stringify({ title: 'x'.repeat(100_000) }), 'application/json'],
];

describe('bad input on every route', () => {
  let app: TestApp;
  let token: string;

  const SESSION_SECRET = 'sweep-session-secret-long-enough-0123456789';
  /** Tokens an attacker might try: another key, a lapsed one, and one that claims no signature at all. */
  let badTokens: Array<[what: string, token: string]>;

  /** A digest of every table a request could change (rate-limit counters count attempts, by design). */
  const snapshot = async (): Promise<string> => {
    const tables = ['meetings', 'meeting_participants', 'meeting_waiting', 'meeting_invitations', 'meeting_recordings', 'meeting_chat_messages', 'meeting_roles', 'meeting_polls', 'meeting_poll_votes', 'meeting_breakouts', 'meeting_breakout_rooms', 'meeting_breakout_assignments'];
    // One statement for all of them: the sweep takes a snapshot around each of its ~1,200 requests.
    const columns = tables.map((table) => `(SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ${table} t) AS ${table}`);
    const { rows } = await app.deps.db.query<Record<string, string | null>>(`SELECT ${columns.join(', ')}`);
    return tables.map((table) => `${table}:${rows[0]?.[table] ?? 'empty'}`).join(' ');
  };

  before(async () => {
    app = await startApp({ MEETING_DEV_MODE: '1', SESSION_SECRET });
    const claims = { kind: 'user', email: 'x@example.com', name: 'X' };
    const sign = (secret: string, expiresAt: number) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(SELF_ISSUER).setAudience(SELF_AUDIENCE).setSubject(randomUUID()).setIssuedAt(expiresAt - 600).setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iss: SELF_ISSUER, aud: SELF_AUDIENCE, sub: randomUUID(), exp: now + 600 })).toString('base64url')}.`;
    badTokens = [
      ['forged', await sign('another-secret-entirely-but-long-enough-00', now + 600)],
      ['expired', await sign(SESSION_SECRET, now - 60)],
      ['alg none', unsigned],
      ['garbage', 'not.a.jwt'],
    ];
    token = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'sweep@example.com', name: 'Sweep' });
  });

  /** A live meeting per route, so one route's success (DELETE, end) cannot hide another's checks. */
  const liveMeeting = async () => {
    const id = (await api<MeetingView>(app.url, 'POST', '/meetings', { token, body: { title: 'Sweep' } })).body.id;
    await api(app.url, 'POST', `/meetings/${id}/join`, { token });
    return id;
  };
  after(async () => {
    await app.close();
  });

  const fill = (path: string, id: string) =>
    path.replace(':id', id).replace(':waitingId', 'not-a-uuid').replace(':pollId', 'not-a-uuid').replace(':roomId', 'not-a-uuid').replace(':identity', encodeURIComponent('x'.repeat(300)));

  for (const [method, path] of ROUTES) {
    it(`${method} ${path}`, async () => {
      const meetingId = await liveMeeting();
      const attempts: Array<{ label: string; status: number; body: unknown }> = [];
      for (const id of [meetingId, 'not-a-uuid', '%00', randomUUID()]) {
        if (method === 'GET') {
          // Bad query strings instead of bodies.
          const res = await api(app.url, method, `${fill(path, id)}?wait=-1&limit=abc&after=zzz&wait=99`, { token });
          attempts.push({ label: `bad query / id ${id}`, status: res.status, body: res.body });
          continue;
        }
        let before = await snapshot();
        for (const [what, raw, contentType] of BODIES) {
          const res = await api(app.url, method, fill(path, id), { token, rawBody: raw, headers: { 'content-type': contentType } });
          attempts.push({ label: `${what} / id ${id}`, status: res.status, body: res.body });
          const after = await snapshot();
          // A request refused for the client's mistake leaves no trace. (A 503 may: a recording the
          // media server could not start is kept as failed, on purpose.)
          if (res.status >= 400 && res.status < 500) assert.equal(after, before, `${what} / id ${id} was refused (${String(res.status)}) but changed the database`);
          before = after;
        }
      }
      for (const [what, bad] of badTokens) {
        const res = await api(app.url, method, fill(path, meetingId), method === 'GET' ? { token: bad } : { token: bad, rawBody: '{"title":"x","text":"x"}', headers: { 'content-type': 'application/json' } });
        attempts.push({ label: `${what} token`, status: res.status, body: res.body });
        if (path !== '/dev/session') assert.equal(res.status, 401, `${what} token on ${method} ${path}: ${String(res.status)}`);
      }
      const anonymous = await api(app.url, method, fill(path, meetingId), method === 'GET' ? {} : { rawBody: '{}', headers: { 'content-type': 'application/json' } });
      attempts.push({ label: 'anonymous', status: anonymous.status, body: anonymous.body });
      for (const attempt of attempts) {
        const code = (attempt.body as { error?: { code?: unknown } } | null)?.error?.code;
        // No LiveKit runs behind this app: 503 MEDIA_SERVER_UNAVAILABLE is the contract's answer for that.
        const mediaDown = attempt.status === 503 && code === 'MEDIA_SERVER_UNAVAILABLE';
        assert.ok(attempt.status < 500 || mediaDown, `${attempt.label}: ${String(attempt.status)} ${JSON.stringify(attempt.body)}`);
        if (attempt.status >= 400) {
          assert.equal(typeof code, 'string', `${attempt.label}: no error code in ${JSON.stringify(attempt.body)}`);
        }
      }
    });
  }
});
