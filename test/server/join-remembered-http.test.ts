// An instance decides joins to a meeting it has seen recently from what it remembers of it, and
// lets the claim catch anything that changed since. These tests change the meeting behind the
// instance's back (through a second instance on the same database, or in SQL) between two joins
// and check that the second join is answered as if nothing had been remembered.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TokenVerifier as LiveKitTokenVerifier } from 'livekit-server-sdk';
import type { Database } from '../../server/src/db/database.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

interface JoinAnswer {
  token: string;
  role: string;
  meeting: MeetingView;
}
type ErrorBody = { error: { code: string } };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('joins decided from a remembered meeting', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;
  let first: TestApp;
  let second: TestApp;
  let hostToken: string;
  const livekit = new LiveKitTokenVerifier('devkey', 'secret');

  const person = async () => ({ token: await first.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 8)}@example.com`, name: 'Someone' }) });
  const join = (app: TestApp, meetingId: string, token: string) => api<JoinAnswer>(app.url, 'POST', `/meetings/${meetingId}/join`, { token });
  const create = async (policy: Record<string, unknown> = {}): Promise<MeetingView> => {
    const res = await api<MeetingView>(first.url, 'POST', '/meetings', { token: hostToken, body: { title: 'Remembered', policy } });
    assert.equal(res.status, 201);
    assert.equal((await api(first.url, 'POST', `/meetings/${res.body.id}/start`, { token: hostToken })).status, 200);
    return res.body;
  };
  /** Two joins through the first instance, so it now remembers the meeting. */
  const warm = async (meetingId: string) => {
    for (let i = 0; i < 2; i++) assert.equal((await join(first, meetingId, (await person()).token)).status, 200);
  };
  const code = (res: { body: unknown }) => (res.body as ErrorBody).error.code;

  before(async () => {
    handle = await backend.create();
    db = await handle.open();
    first = await startApp({}, db);
    second = await startApp({}, await handle.open());
    hostToken = await first.deps.verifier.signUser({ userId: 'host-remembered', email: 'host@example.com', name: 'Host' });
  });
  after(async () => {
    await first.close();
    await second.close();
    await handle.dispose();
  });

  it('refuses a join once the meeting was locked on another instance', async () => {
    const meeting = await create();
    await warm(meeting.id);
    assert.equal((await api(second.url, 'POST', `/meetings/${meeting.id}/lock`, { token: hostToken })).status, 200);
    const res = await join(first, meeting.id, (await person()).token);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(code(res), 'MEETING_LOCKED');
  });

  it('admits again once the meeting was unlocked on another instance', async () => {
    const meeting = await create();
    await warm(meeting.id);
    assert.equal((await api(second.url, 'POST', `/meetings/${meeting.id}/lock`, { token: hostToken })).status, 200);
    assert.equal(code(await join(first, meeting.id, (await person()).token)), 'MEETING_LOCKED');
    assert.equal((await api(second.url, 'POST', `/meetings/${meeting.id}/unlock`, { token: hostToken })).status, 200);
    assert.equal((await join(first, meeting.id, (await person()).token)).status, 200);
  });

  it('sends a newcomer to the waiting room once another instance turned it on', async () => {
    const meeting = await create();
    await warm(meeting.id);
    const patched = await api(second.url, 'PATCH', `/meetings/${meeting.id}`, { token: hostToken, body: { policy: { waitingRoom: true } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const res = await join(first, meeting.id, (await person()).token);
    assert.equal(res.status, 202, JSON.stringify(res.body));
  });

  it('refuses a join once another instance ended the meeting', async () => {
    const meeting = await create();
    await warm(meeting.id);
    assert.equal((await api(second.url, 'POST', `/meetings/${meeting.id}/end`, { token: hostToken })).status, 200);
    const res = await join(first, meeting.id, (await person()).token);
    assert.equal(res.status, 410, JSON.stringify(res.body));
    assert.equal(code(res), 'MEETING_ENDED');
  });

  it('holds the limit when the seats went through another instance', async () => {
    const meeting = await create({ maxParticipants: 3 });
    await warm(meeting.id);
    assert.equal((await join(second, meeting.id, (await person()).token)).status, 200);
    const res = await join(first, meeting.id, (await person()).token);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(code(res), 'MAX_PARTICIPANTS_REACHED');
  });

  it('gives a co-host made after the meeting was remembered the co-host grant, and takes it back', async () => {
    const meeting = await create();
    await warm(meeting.id);
    const userId = randomUUID();
    const token = await first.deps.verifier.signUser({ userId, email: 'cohost@example.com', name: 'Co' });
    await db.query(`INSERT INTO meeting_roles (meeting_id, identity, role, granted_by) VALUES ($1, $2, 'co-host', 'host-remembered')`, [meeting.id, `u_${userId}`]);
    const promoted = await join(first, meeting.id, token);
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    assert.equal(promoted.body.role, 'co-host');
    assert.equal((await livekit.verify(promoted.body.token)).attributes?.role, 'co-host');

    await db.query('DELETE FROM meeting_roles WHERE meeting_id = $1', [meeting.id]);
    const demoted = await join(first, meeting.id, token);
    assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
    assert.equal(demoted.body.role, 'attendee');
    assert.equal((await livekit.verify(demoted.body.token)).attributes?.role, 'attendee');
  });

  it('answers the current title and count, not the remembered ones', async () => {
    const meeting = await create();
    await warm(meeting.id);
    assert.equal((await api(second.url, 'PATCH', `/meetings/${meeting.id}`, { token: hostToken, body: { title: 'Renamed' } })).status, 200);
    assert.equal((await join(second, meeting.id, (await person()).token)).status, 200);
    const res = await join(first, meeting.id, (await person()).token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.meeting.title, 'Renamed');
    assert.equal(res.body.meeting.participantCount, 4);
  });
});
