// Attacks on "stay in your breakout room": a host opens rooms with `allowReturn: false`, and an
// attendee's client (modified: the widget hides the button) asks the server for the main room
// anyway. The server gives no token for it while the session is open; hosts and co-hosts always
// get one, and everyone does once the rooms close.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { within } from './helpers/raw-participant.js';
import { breakoutSuite, type Person } from './breakouts-support.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: returning early from a breakout room', (backend) => {
  const suite = breakoutSuite(backend);
  const { person, raw } = suite;

  /** Ann and a co-host assigned to room A of a session that keeps people in; Ann is in her room. */
  const scene = async (open: Record<string, unknown> = { allowReturn: false }) => {
    const { meeting, host } = await suite.stack.meeting();
    const [ann, carl] = (await suite.people(meeting.id, ['Ann', 'Carl'])) as [Person, Person];
    const promoted = await api(suite.stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${carl.identity}/role`, { token: host, body: { role: 'co-host' } });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    const opened = await suite.breakouts.open(meeting.id, host, { rooms: [{ name: 'A', identities: [ann.identity, carl.identity] }], ...open });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const roomA = opened.body.rooms[0]!;
    await suite.enter(meeting.id, roomA.id, ann);
    return { meeting, host, ann, carl, session: opened.body, roomA };
  };

  it('a main-room token she was given before the rooms opened does not take her back: the server takes her out of the main room', async () => {
    const { meeting, ann } = await scene();
    // Still within its lifetime: the media server lets it in, and the token server's webhook acts.
    const back = await raw(ann.livekit);
    await within(back.closed, 10_000, 'Ann taken out of the main room');
    assert.equal(suite.stack.media.registry.get(meeting.roomName)?.participant(ann.identity), undefined);
  });

  it('an attendee held in her breakout room gets no main-room token: BREAKOUT_RETURN_NOT_ALLOWED, with her room', async () => {
    const { meeting, ann, session, roomA } = await scene();
    assert.equal(session.allowReturn, false);
    for (const body of [{ displayName: 'Ann' }, {}, undefined]) {
      const back = await suite.stack.join(meeting.id, ann.token, body);
      assert.equal(back.status, 403, JSON.stringify(back.body));
      const refusal = back.body as unknown as { token?: string; error?: { code: string; details?: unknown } };
      assert.equal(refusal.error?.code, 'BREAKOUT_RETURN_NOT_ALLOWED');
      assert.deepEqual(refusal.error.details, { breakoutId: session.id, roomId: roomA.id });
      assert.equal(refusal.token, undefined);
    }
    // Her own room she may still enter (a reload lands there).
    assert.equal((await suite.breakouts.join(meeting.id, roomA.id, ann.token)).status, 200);
  });

  it('a guest held in a breakout room is refused the same way', async () => {
    const { meeting, host } = await suite.stack.meeting({ allowAnonymous: true });
    const guest = await suite.stack.join(meeting.id, undefined, { displayName: 'Guest' });
    assert.equal(guest.status, 200, JSON.stringify(guest.body));
    const guestToken = (guest.body as { guestToken?: string }).guestToken;
    assert.ok(guestToken !== undefined);
    const opened = await suite.breakouts.open(meeting.id, host, { rooms: [{ name: 'G', identities: [guest.body.identity] }], allowReturn: false });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const back = await suite.stack.join(meeting.id, guestToken, { displayName: 'Guest' });
    assert.equal(back.status, 403);
    assert.equal((back.body as unknown as { error?: { code: string } }).error?.code, 'BREAKOUT_RETURN_NOT_ALLOWED');
  });

  it('hosts and co-hosts always go back, even when assigned to a room', async () => {
    const { meeting, host, carl } = await scene();
    assert.equal((await suite.stack.join(meeting.id, carl.token, { displayName: 'Carl' })).status, 200, 'the co-host listed in room A');
    assert.equal((await suite.stack.join(meeting.id, host)).status, 200, 'the host');
  });

  it('once the rooms close (by a host, or replaced by a session that allows it) the attendee goes back', async () => {
    const closed = await scene();
    assert.equal((await suite.breakouts.close(closed.meeting.id, closed.host)).status, 200);
    assert.equal((await suite.stack.join(closed.meeting.id, closed.ann.token, { displayName: 'Ann' })).status, 200);

    const replaced = await scene();
    const again = await suite.breakouts.open(replaced.meeting.id, replaced.host, { rooms: [{ name: 'A2', identities: [replaced.ann.identity] }] });
    assert.equal(again.status, 201);
    assert.equal(again.body.allowReturn, true, 'allowed unless the host says otherwise');
    assert.equal((await suite.stack.join(replaced.meeting.id, replaced.ann.token, { displayName: 'Ann' })).status, 200);
  });

  it('someone not assigned to any room of the session joins the main room as usual', async () => {
    const { meeting } = await scene();
    const late = await person(meeting.id, 'Latecomer');
    assert.ok(late.identity.length > 0);
  });
});
