import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string } };
type Message = { id: string; identity: string; displayName: string; text: string; sentAt: string; delivered?: boolean };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('chat API', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let livekit: MediaServer;
  let app: TestApp;
  let host: string;

  const user = (name: string) => app.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 6)}@example.com`, name });
  const meetingWith = async (policy: Record<string, unknown> = {}) => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Chatty', policy } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    return meeting;
  };
  const say = (meetingId: string, token: string, text: unknown) => api<Message & ErrorBody>(app.url, 'POST', `/meetings/${meetingId}/chat`, { token, body: { text } });

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    livekit = await startMediaServer({ apiKey: 'devkey', apiSecret: 'secret', port: 0 });
    app = await startApp({ LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }, db);
    host = await user('Hannah');
  });
  after(async () => {
    await app.close();
    await livekit.close();
    await handle.dispose();
  });

  it('stores a message and delivers it to the room on the chat topic', async () => {
    const meeting = await meetingWith();
    const ann = await user('Ann');
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: ann });
    // The room is live in the media server once people connect; LiveKit refuses data for a room that is not.
    livekit.registry.ensure(meeting.roomName);
    const res = await say(meeting.id, ann, 'Hello, everyone 👋');
    assert.equal(res.status, 201);
    assert.equal(res.body.text, 'Hello, everyone 👋');
    assert.equal(res.body.displayName, 'Ann');
    assert.match(res.body.identity, /^u_/);
    assert.equal(res.body.delivered, true);
    // What the room receives is checked end to end in Chromium (test/core/meeting-controller.test.ts:
    // chat reaches the other participant through this same media server).
  });

  it('pages the history in sending order', async () => {
    const meeting = await meetingWith();
    const sent: string[] = [];
    for (let i = 1; i <= 5; i++) sent.push((await say(meeting.id, host, `message ${i}`)).body.id);
    const latest = await api<Message[]>(app.url, 'GET', `/meetings/${meeting.id}/chat?limit=3`, { token: host });
    assert.deepEqual(
      latest.body.map((m) => m.text),
      ['message 3', 'message 4', 'message 5'],
    );
    const after2 = await api<Message[]>(app.url, 'GET', `/meetings/${meeting.id}/chat?after=${sent[1]}&limit=2`, { token: host });
    assert.deepEqual(
      after2.body.map((m) => m.text),
      ['message 3', 'message 4'],
    );
    const unknown = await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}/chat?after=${randomUUID()}`, { token: host });
    assert.equal(unknown.status, 400);
    for (const query of ['limit=0', 'limit=201', 'after=nope', 'order=desc']) {
      assert.equal((await api(app.url, 'GET', `/meetings/${meeting.id}/chat?${query}`, { token: host })).status, 400, query);
    }
  });

  it('follows the chat policy: hosts only, nobody', async () => {
    const hostsOnly = await meetingWith({ chat: 'hosts' });
    const ann = await user('Ann');
    await api(app.url, 'POST', `/meetings/${hostsOnly.id}/join`, { token: ann });
    const refused = await say(hostsOnly.id, ann, 'may I?');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'FEATURE_DISABLED');
    assert.equal((await say(hostsOnly.id, host, 'announcement')).status, 201);
    const off = await meetingWith({ chat: 'nobody' });
    assert.equal((await say(off.id, host, 'anyone?')).body.error.code, 'FEATURE_DISABLED');
    const history = await api<Message[]>(app.url, 'GET', `/meetings/${hostsOnly.id}/chat`, { token: ann });
    assert.deepEqual(
      history.body.map((m) => m.text),
      ['announcement'],
    );
  });

  it('keeps the chat to people in the meeting, and refuses bad messages', async () => {
    const meeting = await meetingWith();
    const outsider = await user('Olly');
    assert.equal((await say(meeting.id, outsider, 'let me in')).body.error.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}/chat`, { token: outsider })).status, 403);
    assert.equal((await api<ErrorBody>(app.url, 'GET', `/meetings/${meeting.id}/chat`)).status, 401);
    for (const text of ['', '   ', 'x'.repeat(4001), 42, null]) {
      const res = await say(meeting.id, host, text);
      assert.equal(res.status, 400, JSON.stringify(text).slice(0, 20));
    }
    assert.equal((await say(meeting.id, host, 'x'.repeat(4000))).status, 201);
    const stored = await app.deps.db.query('SELECT 1 FROM meeting_chat_messages m JOIN meetings x ON x.id = m.meeting_id WHERE x.id = $1', [meeting.id]);
    assert.equal(stored.rowCount, 1);
  });
});

describeEachDatabase('chat without a reachable LiveKit', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    // Nothing listens on port 9 of loopback: every delivery fails at once.
    app = await startApp({ LIVEKIT_URL: 'ws://127.0.0.1:9', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }, db);
  });
  after(async () => {
    await app.close();
    await handle.dispose();
  });

  it('keeps the message and says it was not delivered', async () => {
    const host = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'h@example.com', name: 'H' });
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Offline' } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    const res = await api<Message>(app.url, 'POST', `/meetings/${meeting.id}/chat`, { token: host, body: { text: 'still here' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.delivered, false);
    const history = await api<Message[]>(app.url, 'GET', `/meetings/${meeting.id}/chat`, { token: host });
    assert.deepEqual(
      history.body.map((m) => m.text),
      ['still here'],
    );
  });
});
