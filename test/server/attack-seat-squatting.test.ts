// Attack: fill a meeting with seats nobody uses. Today each anonymous join holds a seat for its
// token's 10 minutes without ever connecting: 28 joins from one address filled a 30-seat meeting.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { connectRaw } from './helpers/raw-participant.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

// Long enough that a loaded machine never lets a hold run out mid-test: the release is made by moving
// the hold's end, not by waiting.
const HOLD_SECONDS = 60;

describeEachDatabase('attack: squatting seats', (backend) => {
  let stack: MediaStack;

  before(async () => {
    stack = await startMediaStack(backend, { SEAT_HOLD_SECONDS: String(HOLD_SECONDS), GUEST_SEATS_PER_ADDRESS: '3' });
  });
  after(async () => {
    await stack.close();
  });

  const count = async (meetingId: string, token: string) =>
    (await api<{ participantCount: number }>(stack.app.url, 'GET', `/meetings/${meetingId}/status`, { token })).body.participantCount;

  it('one address holds at most a few guest seats in a meeting; signed-in people still get in', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true, maxParticipants: 30 });
    const answers = [];
    for (let i = 0; i < 28; i++) answers.push(await stack.join(meeting.id, undefined, { displayName: `Squatter ${String(i)}` }));
    const admitted = answers.filter((a) => a.status === 200).length;
    assert.equal(admitted, 3, `guest seats taken from one address: ${String(admitted)}`);
    const refused = answers.find((a) => a.status !== 200);
    assert.equal(refused?.status, 429);
    assert.equal(refused.body.error?.code, 'RATE_LIMITED');
    assert.equal(await count(meeting.id, host), 1 + 3);
    for (let i = 0; i < 5; i++) assert.equal((await stack.join(meeting.id, await stack.user(`Member ${String(i)}`))).status, 200);
  });

  it('a seat granted to someone who never connects is released after the hold, and its token expires with it', async () => {
    const { meeting, host, hostJoin } = await stack.meeting({ maxParticipants: 2 });
    // The host connects (LiveKit reports it); the ghost never does.
    const hostSession = await connectRaw(stack.media.url, hostJoin.token);
    const ghost = await stack.join(meeting.id, await stack.user('Ghost'));
    assert.equal(ghost.status, 200);
    const exp = (JSON.parse(Buffer.from(ghost.body.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp;
    assert.ok(exp - Date.now() / 1000 <= HOLD_SECONDS + 1, 'the LiveKit token lives no longer than the hold');
    const late = await stack.join(meeting.id, await stack.user('Late'));
    assert.equal(late.status, 403);
    assert.equal(late.body.error?.code, 'MAX_PARTICIPANTS_REACHED');
    // The hold is a span of the database's clock: the seat it stored ends HOLD_SECONDS after the
    // join. Time passes there (the end moved into the past) rather than the test sitting through it.
    const seat = () => stack.app.deps.db.query<{ left: number }>(
      `SELECT extract(epoch FROM token_expires_at - now())::float8 AS left FROM meeting_participants WHERE meeting_id = $1 AND identity = $2`,
      [meeting.id, ghost.body.identity],
    );
    const left = (await seat()).rows[0]?.left;
    assert.ok(left !== undefined && left <= HOLD_SECONDS && left > 0, `the ghost's seat is held for the hold only: ${String(left)} s left`);
    await stack.app.deps.db.query(`UPDATE meeting_participants SET token_expires_at = now() - interval '1 second' WHERE meeting_id = $1 AND identity = $2`, [meeting.id, ghost.body.identity]);
    assert.equal(await count(meeting.id, host), 1);
    assert.equal((await stack.join(meeting.id, await stack.user('Later'))).status, 200);
    hostSession.close();
  });
});
