// Attack: take down other people's raised hands. POST /meetings/:id/hands/lower is for the host
// and co-hosts only; an attendee, a guest, someone removed or someone not in the meeting is
// refused with INSUFFICIENT_PERMISSION (or AUTH_REQUIRED with no credentials), and every hand
// stays up, in the record and in the room.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { within, type RawParticipant } from './helpers/raw-participant.js';
import { suiteMediaStack } from './helpers/suite-stack.js';

after(async () => {
  await stopOwnCluster();
});

type Answer = { lowered?: string[]; raised?: boolean; error?: { code: string } };

describeEachDatabase('attack: lowering other people’s hands', (backend) => {
  const stack = suiteMediaStack(backend);
  const raw = (token: string) => stack.connect(token);

  /** A meeting with a host, two attendees and a guest in the room, both attendees' hands up. */
  async function roomWithHands() {
    const { meeting, host, hostJoin } = await stack.meeting({ allowAnonymous: true });
    await raw(hostJoin.token);
    const people: { token: string; identity: string; socket: RawParticipant }[] = [];
    for (const name of ['Ann', 'Bob']) {
      const token = await stack.user(name);
      const joined = await stack.join(meeting.id, token);
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
      const socket = await raw(joined.body.token);
      const up = await api<Answer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token, body: { raised: true } });
      assert.equal(up.status, 200, JSON.stringify(up.body));
      people.push({ token, identity: joined.body.identity, socket });
    }
    const guest = await stack.join(meeting.id, undefined, { displayName: 'Gus' });
    assert.equal(guest.status, 200, JSON.stringify(guest.body));
    await raw(guest.body.token);
    const hand = (identity: string) => stack.media.registry.get(meeting.roomName)?.participant(identity)?.info.attributes.hand ?? '';
    const handsUp = () => people.filter((p) => hand(p.identity) !== '').length;
    return { meeting, host, people, guestToken: guest.body.guestToken ?? '', handsUp };
  }

  const lower = (meetingId: string, token: string | undefined, body: Record<string, unknown> = {}) =>
    api<Answer>(stack.app.url, 'POST', `/meetings/${meetingId}/hands/lower`, { ...(token === undefined ? {} : { token }), body });

  /** The hands are still up: a raise again keeps the first time, so it does not lower anything. */
  async function stillUp(meetingId: string, people: { token: string }[]) {
    for (const p of people) {
      const again = await api<Answer>(stack.app.url, 'POST', `/meetings/${meetingId}/hand`, { token: p.token, body: { raised: true } });
      assert.equal(again.body.raised, true);
    }
  }

  it('an attendee cannot lower everyone’s hands, nor only someone else’s', async () => {
    const { meeting, people, handsUp } = await roomWithHands();
    const [ann, bob] = people;
    const all = await lower(meeting.id, ann!.token);
    assert.equal(all.status, 403, JSON.stringify(all.body));
    assert.equal(all.body.error?.code, 'INSUFFICIENT_PERMISSION');
    const one = await lower(meeting.id, ann!.token, { identities: [bob!.identity] });
    assert.equal(one.status, 403, JSON.stringify(one.body));
    assert.equal(one.body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal(handsUp(), 2, 'both hands stay up in the room');
  });

  it('a guest, someone signed in but not in the meeting, and nobody at all are refused', async () => {
    const { meeting, people, guestToken, handsUp } = await roomWithHands();
    const guest = await lower(meeting.id, guestToken);
    assert.equal(guest.status, 403, JSON.stringify(guest.body));
    assert.equal(guest.body.error?.code, 'INSUFFICIENT_PERMISSION');
    const outsider = await lower(meeting.id, await stack.user('Out'));
    assert.equal(outsider.status, 403, JSON.stringify(outsider.body));
    assert.equal(outsider.body.error?.code, 'INSUFFICIENT_PERMISSION');
    const anonymous = await lower(meeting.id, undefined);
    assert.equal(anonymous.status, 401, JSON.stringify(anonymous.body));
    assert.equal(anonymous.body.error?.code, 'AUTH_REQUIRED');
    assert.equal(handsUp(), 2);
    await stillUp(meeting.id, people);
  });

  it('a removed co-host has lost the power with the seat', async () => {
    const { meeting, host, people, handsUp } = await roomWithHands();
    const coToken = await stack.user('Cora');
    const co = await stack.join(meeting.id, coToken);
    const coSocket = await raw(co.body.token);
    const made = await api(stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${co.body.identity}/role`, { token: host, body: { role: 'co-host' } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const removed = await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${co.body.identity}/remove`, { token: host });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    await within(coSocket.closed, 10_000, 'the removed session closes');
    const res = await lower(meeting.id, coToken);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal(handsUp(), 2);
    await stillUp(meeting.id, people);
  });

  it('bad bodies are refused before anything is done', async () => {
    const { meeting, host, handsUp } = await roomWithHands();
    for (const body of [{ identities: 'everyone' }, { identities: [] }, { identities: [''] }, { all: true }]) {
      const res = await lower(meeting.id, host, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
    }
    assert.equal(handsUp(), 2);
  });
});
