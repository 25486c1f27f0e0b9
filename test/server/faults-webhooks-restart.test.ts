// Fault: the token server stops and starts again while outgoing webhooks are still pending (the
// receiver was failing). Nothing pending may be lost, a meeting's events still arrive in order,
// and an event an instance had taken when it died goes out once its lease runs out.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../server/src/services/webhook-dispatcher.js';
import type { WebhookEvent } from '../../src/contract/webhooks.js';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

after(async () => {
  await stopOwnCluster();
});

const meetingOf = (event: WebhookEvent): string =>
  'meeting' in event.data ? event.data.meeting.id : 'meetingId' in event.data ? event.data.meetingId : 'invitation' in event.data ? event.data.invitation.meetingId : event.data.recording.meetingId;

describeEachDatabase('fault: the server restarts with webhooks pending', (backend) => {
  let stack: MediaStack;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher | undefined;

  before(async () => {
    stack = await startMediaStack(backend);
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await dispatcher?.stop();
    await receiver.close();
    await stack.close();
  });

  const start = () => startWebhookDispatcher(stack.app.deps, { url: receiver.url, secret: receiver.secret, firstBackoffMs: 50, maxBackoffMs: 200, pollMs: 100 });

  it('loses no pending event across a stop and a start, and keeps each meeting in order', async () => {
    receiver.answer = () => 503;
    dispatcher = await start();
    const first = await stack.meeting();
    await api(stack.app.url, 'POST', `/meetings/${first.meeting.id}/invitations`, { token: first.host, body: { emails: ['a@example.com', 'b@example.com'] } });
    const second = await stack.meeting();
    await api(stack.app.url, 'POST', `/meetings/${first.meeting.id}/end`, { token: first.host });
    await api(stack.app.url, 'POST', `/meetings/${second.meeting.id}/invitations`, { token: second.host, body: { userIds: ['someone'] } });
    // The receiver has refused some of them at least once before the server goes away.
    const deadline = Date.now() + 10_000;
    while (receiver.deliveries.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(receiver.deliveries.length >= 3, 'attempts were made before the stop');
    assert.equal(receiver.accepted().length, 0);

    await dispatcher.stop();
    dispatcher = undefined;
    await stack.restartApp();
    const { rows: pending } = await stack.app.deps.db.query<{ id: string; meeting_id: string }>('SELECT id, meeting_id FROM webhook_outbox WHERE delivered_at IS NULL ORDER BY seq');
    assert.equal(pending.length, 6, 'two starts, three invitations and one end, all still pending');

    receiver.answer = () => 204;
    dispatcher = await start();
    const settled = Date.now() + 15_000;
    const remaining = async () => (await stack.app.deps.db.query('SELECT 1 FROM webhook_outbox WHERE delivered_at IS NULL')).rowCount;
    while ((await remaining()) > 0 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await remaining(), 0, 'every pending event delivered after the restart');
    // Delivered at least once: a repeat (same webhook-id) counts once.
    const seen = new Set<string>();
    const events = receiver.deliveries.filter((d) => d.answered < 300 && d.event !== undefined && !seen.has(d.id) && seen.add(d.id)).map((d) => d.event as WebhookEvent);
    const arrived = new Set(receiver.deliveries.filter((d) => d.answered < 300).map((d) => d.id));
    assert.deepEqual(
      pending.map((row) => row.id).filter((id) => !arrived.has(id)),
      [],
      `none lost: ${JSON.stringify(receiver.deliveries.map((d) => [d.id.slice(-6), d.event?.type, d.answered]))}`,
    );
    const accepted = receiver.deliveries.filter((d) => d.answered < 300);
    console.log(`# [${backend.name}] ${String(accepted.length)} deliveries accepted for ${String(seen.size)} events (at least once: a repeat keeps its webhook-id)`);
    const order = (meetingId: string) => events.filter((e) => meetingOf(e) === meetingId).map((e) => e.type);
    assert.deepEqual(order(first.meeting.id), ['meeting.started', 'invitation.created', 'invitation.created', 'meeting.ended']);
    assert.deepEqual(order(second.meeting.id), ['meeting.started', 'invitation.created']);
  });

  it('sends again an event whose instance died holding it, once the lease runs out', async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    const { meeting } = await stack.meeting();
    // As an instance that took the event and died would leave it.
    await stack.app.deps.db.query(`UPDATE webhook_outbox SET leased_until = now() + interval '1 second' WHERE meeting_id = $1`, [meeting.id]);
    const startedAt = Date.now();
    dispatcher = await start();
    await receiver.until((all) => all.some((e) => e.type === 'meeting.started' && e.data.meeting.id === meeting.id), 10_000, 'the orphaned event');
    assert.ok(Date.now() - startedAt >= 800, 'not while the dead instance still held it');
  });
});
