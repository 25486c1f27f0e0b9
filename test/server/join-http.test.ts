import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TokenVerifier as LiveKitTokenVerifier } from 'livekit-server-sdk';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string; message: string; details?: Array<{ field: string }> } };
interface JoinAnswer {
  token: string;
  livekitUrl: string;
  identity: string;
  role: string;
  meeting: MeetingView;
  guestToken?: string;
}

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('joining a meeting', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let host: { token: string; userId: string };
  const livekit = new LiveKitTokenVerifier('devkey', 'secret');

  const signIn = async (email = `${randomUUID().slice(0, 8)}@example.com`, name: string | null = 'Someone') => {
    const userId = randomUUID();
    return { token: await app.deps.verifier.signUser({ userId, email, name }), userId };
  };
  const create = async (policy: Record<string, unknown> = {}, start = true): Promise<MeetingView> => {
    const res = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host.token, body: { title: 'Call', policy } });
    assert.equal(res.status, 201);
    if (start) assert.equal((await api(app.url, 'POST', `/meetings/${res.body.id}/start`, { token: host.token })).status, 200);
    return res.body;
  };
  const join = <T = JoinAnswer>(meetingId: string, token?: string, body?: unknown) =>
    api<T>(app.url, 'POST', `/meetings/${meetingId}/join`, { ...(token === undefined ? {} : { token }), ...(body === undefined ? {} : { body }) });
  const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal((res.body as ErrorBody).error.code, code);
  };

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({}, db);
    host = await signIn('host@example.com', 'Hannah Host');
  });
  after(async () => {
    await app.close();
    await handle.dispose();
  });

  it('lets the host start a scheduled meeting by joining, with a grant for that room only and no admin powers', async () => {
    const meeting = await create({}, false);
    const res = await join(meeting.id, host.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.role, 'host');
    assert.equal(res.body.identity, `u_${host.userId}`);
    assert.equal(res.body.livekitUrl, 'ws://127.0.0.1:7880');
    assert.equal(res.body.meeting.status, 'active');
    assert.equal(res.body.meeting.participantCount, 1);
    const claims = await livekit.verify(res.body.token);
    assert.equal(claims.sub, `u_${host.userId}`);
    assert.equal(claims.name, 'Hannah Host');
    assert.deepEqual(claims.attributes, { role: 'host' });
    assert.deepEqual(JSON.parse(claims.metadata ?? '{}'), { role: 'host' });
    const { video } = claims;
    assert.ok(video);
    assert.equal(video.room, meeting.roomName);
    assert.equal(video.roomJoin, true);
    assert.equal(video.roomAdmin, false);
    assert.equal(video.roomCreate, false);
    assert.equal(video.canPublishData, true);
    assert.deepEqual(video.canPublishSources, ['camera', 'microphone', 'screen_share', 'screen_share_audio']);
    const { exp } = JSON.parse(Buffer.from(res.body.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat?: number; nbf?: number };
    assert.ok(exp - Math.floor(Date.now() / 1000) <= 60 && exp - Math.floor(Date.now() / 1000) > 50, `token lives 60 s, as long as a connect needs (exp ${String(exp)})`);
  });

  it('keeps attendees out until the meeting starts, unless joinBeforeHost', async () => {
    const attendee = await signIn();
    expectError(await join((await create({}, false)).id, attendee.token), 409, 'MEETING_NOT_ACTIVE');
    const early = await join((await create({ joinBeforeHost: true }, false)).id, attendee.token);
    assert.equal(early.status, 200);
    assert.equal(early.body.meeting.status, 'active');
  });

  it('gives attendees a grant without admin powers, shaped by the policy', async () => {
    const attendee = await signIn();
    const open = await join((await create()).id, attendee.token);
    assert.equal(open.body.role, 'attendee');
    const openGrant = (await livekit.verify(open.body.token)).video;
    assert.equal(openGrant?.roomAdmin, false);
    const strict = await join((await create({ screenShare: 'hosts', chat: 'hosts' })).id, attendee.token);
    const strictGrant = (await livekit.verify(strict.body.token)).video;
    assert.ok(strictGrant);
    assert.deepEqual(strictGrant.canPublishSources, ['camera', 'microphone']);
    assert.equal(strictGrant.canPublishData, false);
  });

  it('takes anonymous guests only when allowed, with a name, and gives them a guest token', async () => {
    expectError(await join((await create()).id), 401, 'AUTH_REQUIRED');
    const open = await create({ allowAnonymous: true });
    const nameless = await join<ErrorBody>(open.id, undefined, {});
    expectError(nameless, 400, 'VALIDATION_FAILED');
    assert.deepEqual(nameless.body.error.details?.map((d) => d.field), ['body.displayName']);
    const res = await join(open.id, undefined, { displayName: '  Visitor  ' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.body.identity, /^g_/);
    assert.equal((await livekit.verify(res.body.token)).name, 'Visitor');
    assert.ok(res.body.guestToken);
    const again = await join(open.id, res.body.guestToken);
    assert.equal(again.body.identity, res.body.identity, 'the guest token keeps the identity');
    assert.equal(again.body.guestToken, undefined);
    assert.equal(again.body.meeting.participantCount, 1, 'a rejoin replaces the slot');
    assert.equal((await api(app.url, 'POST', `/meetings/${open.id}/leave`, { token: res.body.guestToken })).status, 200);
  });

  it('refuses bad join bodies', async () => {
    const meeting = await create({ allowAnonymous: true });
    for (const body of [{ displayName: '' }, { displayName: 'x'.repeat(81) }, { displayName: 7 }, { displayName: 'a\u0000b' }, { name: 'x' }]) {
      expectError(await join(meeting.id, undefined, body), 400, 'VALIDATION_FAILED');
    }
  });

  it('applies lock, domain rule and the end of the meeting, letting the host through the first two', async () => {
    const attendee = await signIn('someone@other.org');
    const locked = await create({ locked: true });
    expectError(await join(locked.id, attendee.token), 403, 'MEETING_LOCKED');
    assert.equal((await join(locked.id, host.token)).status, 200);
    const domain = await create({ allowedEmailDomains: ['example.com'] });
    expectError(await join(domain.id, attendee.token), 403, 'DOMAIN_NOT_ALLOWED');
    assert.equal((await join(domain.id, (await signIn('a@example.com')).token)).status, 200);
    const ended = await create();
    await api(app.url, 'POST', `/meetings/${ended.id}/end`, { token: host.token });
    expectError(await join(ended.id, host.token), 410, 'MEETING_ENDED');
  });

  it('a lock keeps new people out but lets a seat holder back in (a reload, a return from a breakout room), until they leave', async () => {
    const meeting = await create();
    const inside = await signIn();
    const outsider = await signIn();
    assert.equal((await join(meeting.id, inside.token)).status, 200);
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/lock`, { token: host.token })).status, 200);
    expectError(await join(meeting.id, outsider.token), 403, 'MEETING_LOCKED');
    const back = await join(meeting.id, inside.token);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.meeting.participantCount, 1, 'the rejoin takes the seat it held, not a second one');
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: inside.token })).status, 200);
    expectError(await join(meeting.id, inside.token), 403, 'MEETING_LOCKED');
  });

  it('sends attendees to the waiting room without a token, but not hosts or invitees', async () => {
    const meeting = await create({ waitingRoom: true });
    const attendee = await signIn();
    const waiting = await join<{ status: string; waitingId: string; token?: string }>(meeting.id, attendee.token);
    assert.equal(waiting.status, 202);
    assert.equal(waiting.body.status, 'waiting');
    assert.match(waiting.body.waitingId, /^[0-9a-f-]{36}$/);
    assert.equal(waiting.body.token, undefined);
    const again = await join<{ waitingId: string }>(meeting.id, attendee.token);
    assert.equal(again.body.waitingId, waiting.body.waitingId, 'asking again keeps the place in line');
    assert.equal((await join(meeting.id, host.token)).status, 200);
    const status = await api<{ waitingCount: number; participantCount: number }>(app.url, 'GET', `/meetings/${meeting.id}/status`, { token: host.token });
    assert.equal(status.body.waitingCount, 1);
    assert.equal(status.body.participantCount, 1);

    const invitee = await signIn('invitee@example.com');
    await app.deps.db.query(`INSERT INTO meeting_invitations (id, meeting_id, email, invited_by) VALUES ($1, $2, 'invitee@example.com', $3)`, [
      randomUUID(),
      meeting.id,
      host.userId,
    ]);
    assert.equal((await join(meeting.id, invitee.token)).status, 200);
  });

  it('holds the participant limit, frees a slot on leave, and counts a rejoin once', async () => {
    const meeting = await create({ maxParticipants: 2 });
    const [a, b, c] = [await signIn(), await signIn(), await signIn()];
    assert.equal((await join(meeting.id, a.token)).status, 200);
    assert.equal((await join(meeting.id, a.token)).status, 200, 'rejoining does not need a second slot');
    assert.equal((await join(meeting.id, b.token)).status, 200);
    expectError(await join(meeting.id, c.token), 403, 'MAX_PARTICIPANTS_REACHED');
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: a.token })).status, 200);
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: a.token })).status, 200, 'leaving twice is harmless');
    assert.equal((await join(meeting.id, c.token)).status, 200);
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: (await signIn()).token }), 404, 'PARTICIPANT_NOT_FOUND');
  });

  it('admits exactly maxParticipants out of 200 parallel joins', async () => {
    const meeting = await create({ maxParticipants: 50 });
    const users = await Promise.all(Array.from({ length: 200 }, () => signIn()));
    const results = await Promise.all(users.map((user) => join(meeting.id, user.token)));
    const admitted = results.filter((r) => r.status === 200).length;
    const full = results.filter((r) => r.status === 403 && (r.body as unknown as ErrorBody).error.code === 'MAX_PARTICIPANTS_REACHED').length;
    assert.equal(admitted, 50);
    assert.equal(full, 150);
    const { rows } = await app.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM meeting_participants WHERE meeting_id = $1 AND left_at IS NULL`, [meeting.id]);
    assert.equal(Number(rows[0]?.n), 50);
  });

  it('lists who is here to participants and hosts only', async () => {
    const meeting = await create();
    const attendee = await signIn('ann@example.com', 'Ann');
    await join(meeting.id, attendee.token);
    await join(meeting.id, host.token);
    const list = await api<Array<{ identity: string; role: string; displayName: string; userId: string | null; leftAt: null }>>(
      app.url,
      'GET',
      `/meetings/${meeting.id}/participants`,
      { token: attendee.token },
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.map((p) => [p.displayName, p.role, p.userId, p.leftAt]),
      [
        ['Ann', 'attendee', attendee.userId, null],
        ['Hannah Host', 'host', host.userId, null],
      ],
    );
    expectError(await api(app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: (await signIn()).token }), 403, 'INSUFFICIENT_PERMISSION');
    expectError(await api(app.url, 'GET', `/meetings/${meeting.id}/participants`), 401, 'AUTH_REQUIRED');
  });
});
