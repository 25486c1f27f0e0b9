import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InvitationView } from '../../server/src/store/invitations.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string; details?: Array<{ field: string }> } };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('invitations API', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let host: { token: string; userId: string };

  const signIn = async (email: string) => {
    const userId = randomUUID();
    return { token: await app.deps.verifier.signUser({ userId, email, name: email }), userId };
  };
  const meeting = async (policy: Record<string, unknown> = {}) =>
    (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host.token, body: { title: 'Invited', policy } })).body;

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({}, db);
    host = await signIn('host@example.com');
  });
  after(async () => {
    await app.close();
    await handle.dispose();
  });

  it('invites by e-mail and by user id, once each', async () => {
    const m = await meeting();
    const guest = await signIn('guest@example.com');
    const res = await api<InvitationView[]>(app.url, 'POST', `/meetings/${m.id}/invitations`, {
      token: host.token,
      body: { emails: ['Ann@Example.com', 'ann@example.com'], userIds: [guest.userId] },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.map((i) => [i.email, i.userId, i.status, i.invitedBy, i.meetingId]),
      [
        ['ann@example.com', null, 'pending', host.userId, m.id],
        [null, guest.userId, 'pending', host.userId, m.id],
      ],
    );
    const again = await api<InvitationView[]>(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: host.token, body: { emails: ['ann@example.com'] } });
    assert.equal(again.body[0]?.id, res.body[0]?.id, 'inviting again returns the same invitation');
  });

  it('shows users their invitations and lets them answer, and nobody else', async () => {
    const m = await meeting();
    const ann = await signIn('ann2@example.com');
    const created = await api<InvitationView[]>(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: host.token, body: { emails: ['ann2@example.com'] } });
    const id = created.body[0]?.id ?? '';
    const mine = await api<InvitationView[]>(app.url, 'GET', '/invitations', { token: ann.token });
    assert.deepEqual(
      mine.body.map((i) => i.id),
      [id],
    );
    const stranger = await signIn('stranger@example.com');
    assert.deepEqual((await api<InvitationView[]>(app.url, 'GET', '/invitations', { token: stranger.token })).body, []);
    const stolen = await api<ErrorBody>(app.url, 'POST', `/invitations/${id}/accept`, { token: stranger.token });
    assert.equal(stolen.status, 404);
    assert.equal(stolen.body.error.code, 'INVITATION_NOT_FOUND');
    const declined = await api<InvitationView>(app.url, 'POST', `/invitations/${id}/decline`, { token: ann.token });
    assert.equal(declined.body.status, 'declined');
    const reinvited = await api<InvitationView[]>(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: host.token, body: { emails: ['ann2@example.com'] } });
    assert.equal(reinvited.body[0]?.status, 'pending', 'a new invitation after a decline is pending again');
    const accepted = await api<InvitationView>(app.url, 'POST', `/invitations/${id}/accept`, { token: ann.token });
    assert.equal(accepted.body.status, 'accepted');
    assert.equal((await api<ErrorBody>(app.url, 'GET', '/invitations')).status, 401);
    assert.equal((await api<ErrorBody>(app.url, 'POST', `/invitations/${randomUUID()}/accept`, { token: ann.token })).status, 404);
    assert.equal((await api<ErrorBody>(app.url, 'POST', '/invitations/nope/accept', { token: ann.token })).status, 400);
  });

  it('lets an invitee skip the waiting room', async () => {
    const m = await meeting({ waitingRoom: true });
    await api(app.url, 'POST', `/meetings/${m.id}/join`, { token: host.token });
    const vip = await signIn('vip@example.com');
    await api(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: host.token, body: { userIds: [vip.userId] } });
    assert.equal((await api(app.url, 'POST', `/meetings/${m.id}/join`, { token: vip.token })).status, 200);
    const walkIn = await signIn('walkin@example.com');
    assert.equal((await api(app.url, 'POST', `/meetings/${m.id}/join`, { token: walkIn.token })).status, 202);
  });

  it('lets only moderators invite, and validates the list', async () => {
    const m = await meeting();
    const attendee = await signIn('att@example.com');
    const refused = await api<ErrorBody>(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: attendee.token, body: { emails: ['x@example.com'] } });
    assert.equal(refused.status, 403);
    for (const body of [{}, { emails: [] }, { emails: ['not-an-email'] }, { userIds: [''] }, { emails: Array.from({ length: 101 }, (_, i) => `u${i}@example.com`) }, { phone: '555' }]) {
      const res = await api<ErrorBody>(app.url, 'POST', `/meetings/${m.id}/invitations`, { token: host.token, body });
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
    const { rowCount } = await app.deps.db.query('SELECT 1 FROM meeting_invitations WHERE meeting_id = $1', [m.id]);
    assert.equal(rowCount, 0);
  });
});
