// Outgoing webhooks (issue 16) against a real receiver that verifies them with the standardwebhooks
// library, with the real embedded media server reporting joins and leaves.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { EgressInfo, EgressStatus, FileInfo } from '@livekit/protocol';
import { Webhook } from 'standardwebhooks';
import { WebhookSender } from '../../server/src/media/webhooks.js';
import { insertRecording, markRecording } from '../../server/src/store/recordings.js';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../server/src/services/webhook-dispatcher.js';
import type { WebhookEvent } from '../../src/contract/webhooks.js';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { MEDIA_KEY, MEDIA_SECRET, startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { connectRaw, type RawParticipant } from './helpers/raw-participant.js';
import { newWebhookSecret, startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

after(async () => {
  await stopOwnCluster();
});

const ofMeeting = (meetingId: string) => (event: WebhookEvent) => ('meeting' in event.data ? event.data.meeting.id : 'meetingId' in event.data ? event.data.meetingId : 'invitation' in event.data ? event.data.invitation.meetingId : event.data.recording.meetingId) === meetingId;

describeEachDatabase('outgoing webhooks', (backend) => {
  let stack: MediaStack;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  const sockets: RawParticipant[] = [];

  before(async () => {
    stack = await startMediaStack(backend);
    receiver = await startWebhookReceiver();
    dispatcher = await startWebhookDispatcher(stack.app.deps, { url: receiver.url, secret: receiver.secret, firstBackoffMs: 50, maxBackoffMs: 200, pollMs: 5000 });
  });
  after(async () => {
    await dispatcher.stop();
    for (const socket of sockets) socket.close();
    await receiver.close();
    await stack.close();
  });

  const seated = async (meetingId: string, identity: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await stack.app.deps.db.query<{ state: string }>('SELECT state FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL', [meetingId, identity]);
      if (rows[0]?.state === 'present') return;
      if (Date.now() > deadline) throw new Error(`${identity} never seen connected`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('sends a meeting\'s life as signed Standard Webhooks, in order, each verified by the library', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    const hostSocket = await connectRaw(stack.media.url, hostJoin.token);
    sockets.push(hostSocket);
    await seated(meeting.id, hostJoin.identity);
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/invitations`, { token: host, body: { emails: ['guest@example.com'] } })).status, 201);
    const guestToken = await stack.user('Guest', 'guest@example.com');
    const guest = await stack.join(meeting.id, guestToken);
    const guestSocket = await connectRaw(stack.media.url, guest.body.token);
    await seated(meeting.id, guest.body.identity);
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/chat`, { token: guestToken, body: { text: 'hello' } })).status, 201);
    guestSocket.close();
    await receiver.until((events) => events.filter(ofMeeting(meeting.id)).some((e) => e.type === 'participant.left'), 15_000, 'the guest leaves');
    const ending = Date.now();
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host })).status, 200);
    const events = (await receiver.until((all) => all.filter(ofMeeting(meeting.id)).some((e) => e.type === 'meeting.ended'), 15_000, 'the meeting ends')).filter(ofMeeting(meeting.id));
    const endedAt = receiver.deliveries.find((d) => d.event?.type === 'meeting.ended' && ofMeeting(meeting.id)(d.event))?.at ?? 0;
    console.log(`# [${backend.name}] meeting.ended reached the receiver ${String(endedAt - ending)} ms after POST /end was sent`);

    assert.deepEqual(
      events.map((e) => e.type),
      ['meeting.started', 'participant.joined', 'invitation.created', 'participant.joined', 'participant.left', 'meeting.ended'],
    );
    const mine = receiver.deliveries.filter((d) => d.event !== undefined && ofMeeting(meeting.id)(d.event));
    assert.ok(mine.every((d) => d.verified), 'every signature verifies');
    assert.equal(new Set(mine.map((d) => d.id)).size, mine.length, 'one webhook-id per event');
    // The verifier is not fooled by another key, nor by a changed body.
    const sample = mine[0];
    assert.ok(sample);
    const headers = { 'webhook-id': sample.id, 'webhook-timestamp': sample.timestamp, 'webhook-signature': sample.signature };
    assert.throws(() => new Webhook(newWebhookSecret()).verify(sample.body, headers));
    assert.throws(() => new Webhook(receiver.secret).verify(sample.body.replace('"type"', '"typo"'), headers));

    const joined = events.flatMap((e) => (e.type === 'participant.joined' ? [e.data.participant.identity] : []));
    assert.deepEqual(joined, [hostJoin.identity, guest.body.identity]);
    const ended = events.at(-1);
    assert.ok(ended?.type === 'meeting.ended');
    assert.equal(ended.data.meeting.status, 'ended');
    assert.equal(ended.data.participantCount, 2);
    assert.equal(ended.data.chatMessageCount, 1);
    assert.ok(ended.data.durationS >= 0);
    const invited = events.find((e) => e.type === 'invitation.created');
    assert.ok(invited?.type === 'invitation.created');
    assert.equal(invited.data.invitation.email, 'guest@example.com');
  });

  it('a receiver that fails twice gets the event on the third try, with the same webhook-id', async () => {
    let failures = 0;
    receiver.answer = (delivery) => (delivery.event?.type === 'meeting.started' && failures < 2 ? (failures++, 503) : 204);
    try {
      const { meeting } = await stack.meeting();
      await receiver.until((events) => events.some((e) => e.type === 'meeting.started' && e.data.meeting.id === meeting.id), 15_000, 'the third try');
      const tries = receiver.deliveries.filter((d) => d.event?.type === 'meeting.started' && d.event.data.meeting.id === meeting.id);
      assert.deepEqual(tries.map((d) => d.answered), [503, 503, 204]);
      assert.equal(new Set(tries.map((d) => d.id)).size, 1);
      // The receiver has it; the outbox records it as soon as the answer is read.
      const outbox = async () =>
        (
          await stack.app.deps.db.query<{ attempts: number; delivered: boolean }>(
            `SELECT attempts, delivered_at IS NOT NULL AS delivered FROM webhook_outbox WHERE meeting_id = $1 AND type = 'meeting.started'`,
            [meeting.id],
          )
        ).rows;
      const deadline = Date.now() + 5000;
      while ((await outbox())[0]?.delivered !== true && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(await outbox(), [{ attempts: 3, delivered: true }]);
    } finally {
      receiver.answer = () => 204;
    }
  });

  it("holds a meeting's later events behind a failing one, without holding other meetings back", async () => {
    const blocked = await stack.meeting();
    let failures = 0;
    receiver.answer = (delivery) => (delivery.event?.type === 'invitation.created' && ofMeeting(blocked.meeting.id)(delivery.event) && failures < 3 ? (failures++, 500) : 204);
    try {
      await api(stack.app.url, 'POST', `/meetings/${blocked.meeting.id}/invitations`, { token: blocked.host, body: { emails: ['one@example.com'] } });
      await api(stack.app.url, 'POST', `/meetings/${blocked.meeting.id}/lock`, { token: blocked.host });
      assert.equal((await api(stack.app.url, 'POST', `/meetings/${blocked.meeting.id}/invitations`, { token: blocked.host, body: { emails: ['two@example.com'] } })).status, 201);
      const other = await stack.meeting();
      // The other meeting's start goes out while the first meeting's invitation is still failing.
      await receiver.until((events) => events.some(ofMeeting(other.meeting.id)), 15_000, 'the other meeting is not held back');
      const events = (await receiver.until((all) => all.filter(ofMeeting(blocked.meeting.id)).length === 3, 15_000, 'the held events')).filter(ofMeeting(blocked.meeting.id));
      assert.deepEqual(
        events.map((e) => (e.type === 'invitation.created' ? `${e.type} ${String(e.data.invitation.email)}` : e.type)),
        ['meeting.started', 'invitation.created one@example.com', 'invitation.created two@example.com'],
      );
      assert.equal(failures, 3);
    } finally {
      receiver.answer = () => 204;
    }
  });

  it('tells of a finished recording with its download link once the egress reports the file complete', async () => {
    const { meeting } = await stack.meeting();
    const db = stack.app.deps.db;
    const recordingId = await insertRecording(db, { meetingId: meeting.id, startedBy: 'host', location: 'recordings/weekly.mp4' });
    await markRecording(db, recordingId, { status: 'active', egressId: 'EG_weekly' });
    const sender = new WebhookSender(`${stack.app.url}/api/v1/livekit/webhook`, MEDIA_KEY, MEDIA_SECRET, () => undefined);
    sender.send('egress_ended', {
      egressInfo: new EgressInfo({ egressId: 'EG_weekly', roomName: meeting.roomName, status: EgressStatus.EGRESS_COMPLETE, fileResults: [new FileInfo({ location: 's3://bucket/weekly.mp4' })] }),
    });
    await sender.flush();
    const events = await receiver.until((all) => all.some((e) => e.type === 'recording.ready' && e.data.recording.id === recordingId), 15_000, 'recording.ready');
    const ready = events.find((e) => e.type === 'recording.ready' && e.data.recording.id === recordingId);
    assert.ok(ready?.type === 'recording.ready');
    assert.equal(ready.data.recording.status, 'stopped');
    // The egress's own location stays on the server: the host application gets the file route.
    assert.equal(ready.data.recording.location, `/api/v1/meetings/${meeting.id}/recordings/${recordingId}/file`);
    assert.equal(ready.data.downloadUrl, `/api/v1/meetings/${meeting.id}/recordings/${recordingId}/file`);
    // A late repeat of the same report sends nothing more.
    sender.send('egress_ended', {
      egressInfo: new EgressInfo({ egressId: 'EG_weekly', roomName: meeting.roomName, status: EgressStatus.EGRESS_COMPLETE, fileResults: [new FileInfo({ location: 's3://bucket/weekly.mp4' })] }),
    });
    await sender.flush();
    const { rows } = await db.query(`SELECT 1 FROM webhook_outbox WHERE meeting_id = $1 AND type = 'recording.ready'`, [meeting.id]);
    assert.equal(rows.length, 1);
  });

  it('delivers within a fraction of a second of the change (woken by NOTIFY, not the poll)', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = Date.now();
      const { meeting } = await stack.meeting();
      await receiver.until((all) => all.some((e) => e.type === 'meeting.started' && e.data.meeting.id === meeting.id), 10_000, 'meeting.started');
      const arrived = receiver.deliveries.find((d) => d.event?.type === 'meeting.started' && d.event.data.meeting.id === meeting.id)?.at ?? Date.now();
      latencies.push(arrived - sent);
    }
    latencies.sort((a, b) => a - b);
    console.log(`# [${backend.name}] webhook delivery after a meeting starts (create + join + delivery), 10 meetings: median ${String(latencies[5])} ms, max ${String(latencies[9])} ms`);
    assert.ok((latencies[5] ?? Infinity) < 2000);
  });

  it('records an event only with the change that made it: a rolled-back change sends nothing', async () => {
    const created = await api<{ id: string }>(stack.app.url, 'POST', '/meetings', { token: await stack.user('Rollback'), body: { title: 'Never started' } });
    const before = await stack.app.deps.db.query('SELECT 1 FROM webhook_outbox WHERE meeting_id = $1', [created.body.id]);
    await assert.rejects(
      stack.app.deps.db.transaction(async (tx) => {
        await tx.query(`UPDATE meetings SET status = 'active', started_at = now() WHERE id = $1`, [created.body.id]);
        throw new Error('changed my mind');
      }),
    );
    const afterwards = await stack.app.deps.db.query('SELECT 1 FROM webhook_outbox WHERE meeting_id = $1', [created.body.id]);
    assert.equal(afterwards.rowCount, before.rowCount);
    assert.equal(afterwards.rowCount, 0);
  });

  it('counts delivered, failed and pending events in /metrics', async () => {
    const text = await (await fetch(`${stack.app.url}/metrics`)).text();
    const delivered = /meeting_webhook_events\{state="delivered"\} (\d+)/.exec(text)?.[1];
    assert.ok(Number(delivered) >= 10, text.split('\n').filter((line) => line.includes('webhook')).join('\n'));
    assert.match(text, /meeting_webhook_events\{state="pending"\} \d+/);
    assert.match(text, /meeting_webhook_events\{state="failed"\} 0/);
  });
});
