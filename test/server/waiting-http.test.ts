import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TokenVerifier as LiveKitTokenVerifier } from 'livekit-server-sdk';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string } };
type Poll = { status: string; token?: string; identity?: string; role?: string; livekitUrl?: string; reason?: string };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('waiting room', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let second: TestApp;
  let host: { token: string; userId: string };
  const livekit = new LiveKitTokenVerifier('devkey', 'secret');

  const signIn = async (name = 'Walter Waiter') => {
    const userId = randomUUID();
    const email = `${userId.slice(0, 8)}@example.com`;
    return { token: await app.deps.verifier.signUser({ userId, email, name }), userId, email };
  };
  const createActive = async (policy: Record<string, unknown> = {}): Promise<MeetingView> => {
    const res = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host.token, body: { title: 'Call', policy: { waitingRoom: true, ...policy } } });
    assert.equal((await api(app.url, 'POST', `/meetings/${res.body.id}/join`, { token: host.token })).status, 200);
    return res.body;
  };
  const queue = async (meetingId: string, token?: string, body?: unknown) => {
    const res = await api<{ status: string; waitingId: string; guestToken?: string }>(app.url, 'POST', `/meetings/${meetingId}/join`, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body;
  };
  const poll = (base: string, meetingId: string, waitingId: string, token: string | undefined, wait = 0) =>
    api<Poll>(base, 'GET', `/meetings/${meetingId}/waiting/${waitingId}${wait > 0 ? `?wait=${wait}` : ''}`, token === undefined ? {} : { token });

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({}, db);
    // A second instance of the server on the same database (PostgreSQL: its own connections).
    second = await startApp({}, await handle.open());
    host = await signIn('Hannah Host');
  });
  after(async () => {
    await second.close();
    await app.close();
    await handle.dispose();
  });

  it('shows hosts who waits, and nobody else', async () => {
    const meeting = await createActive();
    const waiter = await signIn('Walter');
    const { waitingId } = await queue(meeting.id, waiter.token);
    const list = await api<Array<{ waitingId: string; displayName: string; email: string | null; since: string }>>(app.url, 'GET', `/meetings/${meeting.id}/waiting`, {
      token: host.token,
    });
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.deepEqual({ ...list.body[0], since: undefined }, { waitingId, displayName: 'Walter', email: waiter.email, since: undefined });
    assert.equal((await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}/waiting`, { token: waiter.token })).status, 403);
  });

  it('tells only the waiter where they stand, and gives no token while waiting', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    const mine = await poll(app.url, meeting.id, waitingId, waiter.token);
    assert.deepEqual(mine.body, { status: 'waiting' });
    assert.equal((await poll(app.url, meeting.id, waitingId, (await signIn()).token)).status, 403);
    assert.equal((await poll(app.url, meeting.id, waitingId, undefined)).status, 401);
    assert.equal((await poll(app.url, meeting.id, randomUUID(), waiter.token)).status, 404);
    assert.equal((await api(app.url, 'GET', `/meetings/${meeting.id}/waiting/${waitingId}?wait=31`, { token: waiter.token })).status, 400);
  });

  it('wakes a long-polling waiter as soon as a host on another instance admits them', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    const started = Date.now();
    const pending = poll(app.url, meeting.id, waitingId, waiter.token, 20);
    // Whether the admission lands before or after the long-poll subscribes, the poll must see it.
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, waiter.token)).body, { status: 'waiting' });
    const admitted = await api<{ status: string }>(second.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/admit`, { token: host.token });
    assert.deepEqual(admitted.body, { waitingId, status: 'admitted' });
    const res = await pending;
    assert.ok(Date.now() - started < 15_000, 'woken by the event, not by the 20 s timeout');
    assert.equal(res.body.status, 'admitted');
    assert.equal(res.body.identity, `u_${waiter.userId}`);
    assert.equal(res.body.role, 'attendee');
    const claims = await livekit.verify(res.body.token ?? '');
    assert.equal(claims.sub, `u_${waiter.userId}`);
    assert.equal(claims.video?.room, meeting.roomName);
    // Admitted, they can join directly now, without queueing again.
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: waiter.token })).status, 200);
  });

  it('returns "waiting" when the long-poll runs out', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, waiter.token, 1)).body, { status: 'waiting' });
  });

  it('turns a denied waiter away for good', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    const denied = await api(app.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/deny`, { token: host.token });
    assert.deepEqual(denied.body, { waitingId, status: 'denied' });
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, waiter.token)).body, { status: 'denied', reason: 'denied' });
    const again = await api<ErrorBody>(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: waiter.token });
    assert.equal(again.status, 403);
    assert.equal(again.body.error.code, 'ADMISSION_DENIED');
    const late = await api(app.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/admit`, { token: host.token });
    assert.deepEqual(late.body, { waitingId, status: 'denied' }, 'a decision is never reversed');
  });

  it('keeps attendees from deciding', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    const res = await api<ErrorBody>(app.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/admit`, { token: waiter.token });
    assert.equal(res.status, 403);
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, waiter.token)).body, { status: 'waiting' });
  });

  it('does not admit past the participant limit', async () => {
    const meeting = await createActive({ maxParticipants: 2 });
    const first = await signIn();
    const secondWaiter = await signIn();
    const a = await queue(meeting.id, first.token);
    const b = await queue(meeting.id, secondWaiter.token);
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/waiting/${a.waitingId}/admit`, { token: host.token })).status, 200);
    const full = await api<ErrorBody>(app.url, 'POST', `/meetings/${meeting.id}/waiting/${b.waitingId}/admit`, { token: host.token });
    assert.equal(full.status, 403);
    assert.equal(full.body.error.code, 'MAX_PARTICIPANTS_REACHED');
    assert.deepEqual((await poll(app.url, meeting.id, b.waitingId, secondWaiter.token)).body, { status: 'waiting' });
  });

  it('lets an anonymous guest wait with their guest token', async () => {
    const meeting = await createActive({ allowAnonymous: true });
    const { waitingId, guestToken } = await queue(meeting.id, undefined, { displayName: 'Visitor' });
    assert.ok(guestToken);
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, guestToken)).body, { status: 'waiting' });
    await api(app.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/admit`, { token: host.token });
    const res = await poll(app.url, meeting.id, waitingId, guestToken);
    assert.equal(res.body.status, 'admitted');
    assert.equal((await livekit.verify(res.body.token ?? '')).name, 'Visitor');
  });

  it('tells waiters, long-polling ones too, when the meeting ends', async () => {
    const meeting = await createActive();
    const waiter = await signIn();
    const { waitingId } = await queue(meeting.id, waiter.token);
    const started = Date.now();
    const pending = poll(second.url, meeting.id, waitingId, waiter.token, 20);
    assert.deepEqual((await poll(app.url, meeting.id, waitingId, waiter.token)).body, { status: 'waiting' });
    await api(app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host.token });
    assert.deepEqual((await pending).body, { status: 'denied', reason: 'ended' });
    assert.ok(Date.now() - started < 15_000, 'woken by the end, not by the timeout');
  });
});
