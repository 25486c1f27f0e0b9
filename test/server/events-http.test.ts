import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { openEventStream, type EventStreamReader } from '../support/sse.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('meeting event stream', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let other: TestApp;
  let host: string;
  const readers: EventStreamReader[] = [];

  const user = async (name = 'U') => app.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 6)}@example.com`, name });
  const stream = async (base: string, meetingId: string, token: string) => {
    const opened = await openEventStream(`${base}/api/v1/meetings/${meetingId}/events`, token);
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.ok(opened.reader);
    readers.push(opened.reader);
    return opened.reader;
  };

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({}, db);
    other = await startApp({}, await handle.open());
    host = await user('Host');
  });
  after(async () => {
    await Promise.all(readers.map((reader) => reader.close()));
    await other.close();
    await app.close();
    await handle.dispose();
  });

  it('streams status, policy and waiting-list changes to a host, from any instance', async () => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Live', policy: { waitingRoom: true } } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    const events = await stream(app.url, meeting.id, host);
    const first = await events.next((e) => e.event === 'status');
    assert.deepEqual(first.data, { status: 'active', participantCount: 1, waitingCount: 0, locked: false });

    await api(other.url, 'POST', `/meetings/${meeting.id}/lock`, { token: host });
    const locked = await events.next((e) => e.event === 'meeting' && (e.data as MeetingView).policy.locked);
    assert.equal((locked.data as MeetingView).id, meeting.id);

    await api(other.url, 'POST', `/meetings/${meeting.id}/unlock`, { token: host });
    const waiter = await user('Walter');
    await api(other.url, 'POST', `/meetings/${meeting.id}/join`, { token: waiter });
    const list = await events.next((e) => e.event === 'waiting' && (e.data as unknown[]).length === 1);
    assert.equal((list.data as Array<{ displayName: string }>)[0]?.displayName, 'Walter');
  });

  it('tells a waiter of their admission, and not of the waiting list', async () => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Line', policy: { waitingRoom: true } } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    const waiter = await user('Wanda');
    const queued = await api<{ waitingId: string }>(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: waiter });
    const events = await stream(other.url, meeting.id, waiter);
    await events.next((e) => e.event === 'status');
    await api(app.url, 'POST', `/meetings/${meeting.id}/waiting/${queued.body.waitingId}/admit`, { token: host });
    const admission = await events.next((e) => e.event === 'admission');
    assert.deepEqual(admission.data, { waitingId: queued.body.waitingId, status: 'admitted' });
    await assert.rejects(events.next((e) => e.event === 'waiting', 300), /deadline/);
  });

  it('refuses callers with no part in the meeting', async () => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Private' } })).body;
    const outsider = await openEventStream(`${app.url}/api/v1/meetings/${meeting.id}/events`, await user());
    assert.equal(outsider.status, 403);
    const anonymous = await fetch(`${app.url}/api/v1/meetings/${meeting.id}/events`);
    assert.equal(anonymous.status, 401);
  });
});
