// Attack: read who is in someone else's meeting through its card, or follow it on the card event
// stream, without being allowed in. A card names up to five people and says whether the meeting is
// live: for a meeting with a waiting room (private), a domain rule, or no anonymous access, only
// its invitees, its hosts and the people who are or were in it may see it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { openEventStream, type EventStreamReader } from '../support/sse.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';

type ErrorBody = { error: { code: string; details?: Array<{ meetingId: string; code: string }> } };
type Card = { id: string; title: string; status: string; participantCount: number; people: Array<{ displayName: string; role: string }> };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: snooping on meeting cards', (backend) => {
  // With the real media server, so a removal is carried out in the room as in production.
  let stack: MediaStack;
  let app: TestApp;
  let host: string;
  const readers: EventStreamReader[] = [];

  const user = (name: string, email = `${randomUUID().slice(0, 8)}@example.com`) => app.deps.verifier.signUser({ userId: randomUUID(), email, name });
  const meeting = async (policy: Record<string, unknown>): Promise<MeetingView> => {
    const created = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Board meeting', policy } });
    assert.equal((await api(app.url, 'POST', `/meetings/${created.body.id}/join`, { token: host })).status, 200);
    return created.body;
  };
  const card = (meetingId: string, token?: string) => api<Card & ErrorBody>(app.url, 'GET', `/meetings/${meetingId}/card`, token === undefined ? {} : { token });
  const events = async (ids: string[], token?: string) => {
    const url = `${app.url}/api/v1/events?meetings=${ids.join(',')}`;
    if (token === undefined) {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as ErrorBody };
    }
    const stream = await openEventStream(url, token);
    if (stream.reader) readers.push(stream.reader);
    return { status: stream.status, body: stream.body as ErrorBody, reader: stream.reader };
  };

  before(async () => {
    stack = await startMediaStack(backend);
    app = stack.app;
    host = await user('Hostess');
  });
  after(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await stack.close();
  });

  it("a stranger cannot read a private meeting's card, nor follow it, alone or hidden among meetings they may see", async () => {
    const secret = await meeting({ waitingRoom: true });
    const open = await meeting({});
    const stranger = await user('Stranger');
    const read = await card(secret.id, stranger);
    assert.equal(read.status, 403);
    assert.equal(read.body.error.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((read.body as Partial<Card>).people, undefined);
    const alone = await events([secret.id], stranger);
    assert.equal(alone.status, 403);
    const hidden = await events([open.id, secret.id], stranger);
    assert.equal(hidden.status, 403, 'the whole stream is refused, not just the private card');
    assert.deepEqual(hidden.body.error.details, [{ meetingId: secret.id, code: 'INSUFFICIENT_PERMISSION' }]);
    // The open meeting alone is fine for the same stranger.
    const allowed = await events([open.id], stranger);
    assert.equal(allowed.status, 200);
    const first = await allowed.reader?.next((e) => e.event === 'card');
    assert.equal((first?.data as Card).id, open.id);
  });

  it('an invitee, a participant and the host may read it', async () => {
    const secret = await meeting({ waitingRoom: true });
    const inviteeEmail = `${randomUUID().slice(0, 8)}@example.com`;
    assert.equal((await api(app.url, 'POST', `/meetings/${secret.id}/invitations`, { token: host, body: { emails: [inviteeEmail] } })).status, 201);
    const invitee = await user('Invitee', inviteeEmail);
    assert.equal((await card(secret.id, invitee)).status, 200);
    assert.equal((await card(secret.id, host)).status, 200);
    const stream = await events([secret.id], invitee);
    assert.equal(stream.status, 200);
    assert.deepEqual(((await stream.reader?.next((e) => e.event === 'card'))?.data as Card).people, [{ displayName: 'Hostess', role: 'host' }]);
  });

  it('keeps outsiders of a domain-restricted meeting, and anonymous callers of a signed-in-only one, out', async () => {
    const corp = await meeting({ allowedEmailDomains: ['corp.example'] });
    const outsider = await user('Outsider', 'someone@elsewhere.example');
    assert.equal((await card(corp.id, outsider)).body.error.code, 'DOMAIN_NOT_ALLOWED');
    assert.equal((await events([corp.id], outsider)).status, 403);
    const insider = await user('Insider', 'someone@corp.example');
    assert.equal((await card(corp.id, insider)).status, 200);

    const signedInOnly = await meeting({});
    const anonymous = await card(signedInOnly.id);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'AUTH_REQUIRED');
    assert.equal((await events([signedInOnly.id])).status, 401);
    const guestsWelcome = await meeting({ allowAnonymous: true });
    assert.equal((await card(guestsWelcome.id)).status, 200);
  });

  it("a guest token of one meeting reads no other meeting's card, and a removed participant reads it no more", async () => {
    const guestsWelcome = await meeting({ allowAnonymous: true });
    const other = await meeting({ allowAnonymous: true });
    const guest = await api<{ guestToken: string; identity: string }>(app.url, 'POST', `/meetings/${guestsWelcome.id}/join`, { body: { displayName: 'Guest' } });
    assert.equal((await card(guestsWelcome.id, guest.body.guestToken)).status, 200);
    assert.equal((await card(other.id, guest.body.guestToken)).body.error.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await events([guestsWelcome.id, other.id], guest.body.guestToken)).status, 403);

    const secret = await meeting({ waitingRoom: true });
    const member = await user('Member');
    const knock = await api<{ waitingId: string }>(app.url, 'POST', `/meetings/${secret.id}/join`, { token: member });
    assert.equal((await card(secret.id, member)).status, 200, 'someone waiting to get in sees what they wait for');
    await api(app.url, 'POST', `/meetings/${secret.id}/waiting/${knock.body.waitingId}/admit`, { token: host });
    const admitted = await api<{ identity: string }>(app.url, 'GET', `/meetings/${secret.id}/waiting/${knock.body.waitingId}`, { token: member });
    const following = await events([secret.id], member);
    assert.equal(following.status, 200);
    await following.reader?.next((e) => e.event === 'card');
    assert.equal((await api(app.url, 'POST', `/meetings/${secret.id}/participants/${admitted.body.identity}/remove`, { token: host })).status, 200);
    assert.equal((await card(secret.id, member)).body.error.code, 'ADMISSION_DENIED');
    assert.equal((await events([secret.id], member)).status, 403);
    // The stream they had open tells them nothing more about it.
    await api(app.url, 'POST', `/meetings/${secret.id}/lock`, { token: host });
    await assert.rejects(following.reader?.next((e) => e.event === 'card', 1000) ?? Promise.reject(new Error('no stream')), /deadline|ended/);
  });
});
