// Recordings: policy, roles, idempotence under concurrency, and what happens without an egress service.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { EgressInfo, EgressStatus, FileInfo } from '@livekit/protocol';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { WebhookSender } from '../../server/src/media/webhooks.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { startLiveKitStandIn, type LiveKitStandIn } from '../support/livekit-standin.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string } };
interface Recording {
  id: string;
  meetingId: string;
  status: string;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  location: string | null;
}

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('recordings', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let egress: LiveKitStandIn;
  let media: MediaServer;
  let app: TestApp;
  let noEgress: TestApp;
  let host: string;

  const user = (name: string) => app.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 6)}@example.com`, name });
  const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal((res.body as ErrorBody).error.code, code);
  };
  const activeMeeting = async (policy: Record<string, unknown> = {}) => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Rec', policy } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    return meeting;
  };

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    egress = await startLiveKitStandIn();
    app = await startApp({ LIVEKIT_URL: egress.url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }, db);
    media = await startMediaServer({ apiKey: 'devkey', apiSecret: 'secret', port: 0 });
    noEgress = await startApp({ LIVEKIT_URL: media.url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' }, db);
    host = await user('Rita');
  });
  after(async () => {
    await app.close();
    await noEgress.close();
    await media.close();
    await egress.close();
    await handle.dispose();
  });

  it('starts once, reports the running recording on a second start, stops, and lists both states', async () => {
    const meeting = await activeMeeting();
    const started = await api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.status, 'active');
    assert.equal(started.body.meetingId, meeting.id);
    // The file name asked of the egress is the server's business; nobody sees a location before the file route serves it.
    assert.match(JSON.stringify(egress.calls.at(-1)?.body), /"filepath":"recordings\/mtg_[^"]*\.mp4"/);
    assert.equal(started.body.location, null);
    assert.equal(egress.calls.at(-1)?.method, 'StartRoomCompositeEgress');
    assert.equal(egress.calls.at(-1)?.body.roomName, meeting.roomName);

    const again = await api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host });
    assert.equal(again.body.id, started.body.id);

    const stopped = await api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/stop`, { token: host });
    assert.equal(stopped.body.status, 'stopped');
    assert.ok(stopped.body.endedAt);
    assert.equal(egress.calls.at(-1)?.method, 'StopEgress');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/recordings/stop`, { token: host }), 409, 'RECORDING_NOT_ACTIVE');

    const listed = await api<Recording[]>(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: host });
    assert.deepEqual(listed.body.map((r) => r.status), ['stopped']);
  });

  it('keeps the recording in step with the egress webhooks', async () => {
    const meeting = await activeMeeting();
    await api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host });
    // The stand-in numbers egress ids by call: EG_<n> for the n-th call it received.
    const egressId = `EG_${String(egress.calls.length)}`;
    const sender = new WebhookSender(`${app.url}/api/v1/livekit/webhook`, 'devkey', 'secret', () => undefined);
    sender.send('egress_ended', {
      egressInfo: new EgressInfo({ egressId, roomName: meeting.roomName, status: EgressStatus.EGRESS_COMPLETE, fileResults: [new FileInfo({ location: 's3://bucket/weekly.mp4' })] }),
    });
    await sender.flush();
    const listed = await api<Recording[]>(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: host });
    assert.equal(listed.body[0]?.status, 'stopped');
    // The egress's location is kept, to serve the file from; the answer gives the file route instead.
    assert.equal(listed.body[0].location, `/api/v1/meetings/${meeting.id}/recordings/${listed.body[0].id}/file`);
    const { rows } = await app.deps.db.query<{ location: string }>('SELECT location FROM meeting_recordings WHERE id = $1', [listed.body[0].id]);
    assert.equal(rows[0]?.location, 's3://bucket/weekly.mp4');
    assert.ok(listed.body[0].endedAt);
  });

  it('starts one recording when several hosts press start at once', async () => {
    const meeting = await activeMeeting();
    const answers = await Promise.all(Array.from({ length: 6 }, () => api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host })));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal((await api<Recording[]>(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: host })).body.length, 1);
  });

  it('follows the policy and the roles', async () => {
    const off = await activeMeeting({ recording: 'nobody' });
    expectError(await api(app.url, 'POST', `/meetings/${off.id}/recordings/start`, { token: host }), 403, 'FEATURE_DISABLED');

    const meeting = await activeMeeting();
    const attendee = await user('Abe');
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: attendee });
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: attendee }), 403, 'INSUFFICIENT_PERMISSION');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`), 401, 'AUTH_REQUIRED');
    assert.equal((await api(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: attendee })).status, 200);
    expectError(await api(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: await user('Stranger') }), 403, 'INSUFFICIENT_PERMISSION');

    const scheduled = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Later' } })).body;
    expectError(await api(app.url, 'POST', `/meetings/${scheduled.id}/recordings/start`, { token: host }), 409, 'MEETING_NOT_ACTIVE');
    expectError(await api(app.url, 'POST', `/meetings/not-a-uuid/recordings/start`, { token: host }), 400, 'VALIDATION_FAILED');
  });

  it('answers MEDIA_SERVER_UNAVAILABLE without an egress service, and keeps the attempt as failed', async () => {
    const meeting = await activeMeeting();
    expectError(await api(noEgress.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host }), 503, 'MEDIA_SERVER_UNAVAILABLE');
    const listed = await api<Recording[]>(noEgress.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: host });
    assert.deepEqual(listed.body.map((r) => r.status), ['failed']);
    // A failed attempt does not block the next one.
    assert.equal((await api<Recording>(app.url, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: host })).body.status, 'active');
    // Ending the meeting ends its recording.
    await api(app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host });
    const after = await api<Recording[]>(app.url, 'GET', `/meetings/${meeting.id}/recordings`, { token: host });
    assert.deepEqual(after.body.map((r) => r.status), ['failed', 'stopped']);
  });
});
