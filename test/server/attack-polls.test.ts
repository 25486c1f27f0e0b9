// Attacks on polls, played by hostile clients over real HTTP: each asserts that the attack changed
// nothing for the others (the counts, the list, what the room was sent).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { pollCalls, recordPollPushes, type PollCalls } from './polls-support.js';

after(async () => {
  await stopOwnCluster();
});

const QUESTION = { question: 'Ship on Friday?', options: ['Yes', 'No', 'Later'] };

describeEachDatabase('attack: polls', (backend) => {
  let stack: MediaStack;
  let polls: PollCalls;

  before(async () => {
    stack = await startMediaStack(backend);
    polls = pollCalls(stack.app.url);
  });
  after(async () => {
    await stack.close();
  });

  const person = async (meetingId: string, name: string) => {
    const token = await stack.user(name);
    const joined = await stack.join(meetingId, token, { displayName: name });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    return { token, identity: joined.body.identity, name };
  };
  const counts = async (meetingId: string, token: string) => (await polls.list(meetingId, token)).body.map((p) => p.options.map((o) => o.votes));

  it('an attendee cannot create a poll when the policy says hosts (nor anyone when it says nobody)', async () => {
    const { meeting, host } = await stack.meeting({ polls: 'hosts' });
    const mallory = await person(meeting.id, 'Mallory');
    const attempts = await Promise.all([
      polls.create(meeting.id, mallory.token, QUESTION),
      polls.create(meeting.id, mallory.token, { ...QUESTION, anonymous: true }),
      // Fields the server decides are not the client's to send.
      polls.create(meeting.id, mallory.token, { ...QUESTION, status: 'open', createdBy: 'host' }),
    ]);
    assert.deepEqual(
      attempts.map((a) => a.body.error?.code),
      ['FEATURE_DISABLED', 'FEATURE_DISABLED', 'VALIDATION_FAILED'],
    );
    assert.deepEqual((await polls.list(meeting.id, host)).body, [], 'no poll exists');
    await api(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { policy: { polls: 'nobody' } } });
    assert.equal((await polls.create(meeting.id, host, QUESTION)).body.error?.code, 'FEATURE_DISABLED');
  });

  it('voting twice, in sequence or 20 times at once, counts once', async () => {
    const { meeting, host } = await stack.meeting();
    const mallory = await person(meeting.id, 'Mallory');
    const poll = (await polls.create(meeting.id, host, QUESTION)).body;
    await polls.vote(meeting.id, poll.id, mallory.token, [0]);
    await polls.vote(meeting.id, poll.id, mallory.token, [0]);
    const burst = await Promise.all(Array.from({ length: 20 }, () => polls.vote(meeting.id, poll.id, mallory.token, [0])));
    assert.deepEqual(new Set(burst.map((b) => b.status)), new Set([200]));
    assert.deepEqual(await counts(meeting.id, host), [[1, 0, 0]]);
    // A second session of the same user is the same person.
    const again = await stack.join(meeting.id, mallory.token, { displayName: 'Mallory again' });
    assert.equal(again.body.identity, mallory.identity);
    await polls.vote(meeting.id, poll.id, mallory.token, [1]);
    assert.deepEqual(await counts(meeting.id, host), [[0, 1, 0]]);
  });

  it('a closed poll counts no vote, even one racing the close', async () => {
    const { meeting, host } = await stack.meeting();
    const voters = await Promise.all(Array.from({ length: 30 }, (_, i) => person(meeting.id, `Voter ${String(i)}`)));
    const poll = (await polls.create(meeting.id, host, QUESTION)).body;
    const votes = voters.map((v) => polls.vote(meeting.id, poll.id, v.token, [1]));
    const closing = polls.close(meeting.id, poll.id, host);
    const answers = await Promise.all(votes);
    const closed = await closing;
    assert.equal(closed.body.status, 'closed');
    const accepted = answers.filter((a) => a.status === 200).length;
    assert.deepEqual(answers.filter((a) => a.status !== 200).map((a) => a.body.error?.code).filter((c) => c !== 'POLL_CLOSED'), []);
    const final = (await polls.list(meeting.id, host)).body[0];
    assert.equal(final?.options[1]?.votes, accepted, 'exactly the votes answered 200 are counted');
    assert.equal(closed.body.options[1]?.votes, accepted, 'the close answered the final count');
    const late = await polls.vote(meeting.id, poll.id, voters[0]!.token, [2]);
    assert.equal(late.status, 409);
    assert.equal(late.body.error?.code, 'POLL_CLOSED');
    assert.deepEqual(await counts(meeting.id, host), [[0, accepted, 0]]);
  });

  it('a non-participant, a removed user and a guest token of another meeting cannot vote', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true });
    const poll = (await polls.create(meeting.id, host, QUESTION)).body;
    const outsider = await stack.user('Outsider');
    assert.equal((await polls.vote(meeting.id, poll.id, outsider, [0])).body.error?.code, 'INSUFFICIENT_PERMISSION');

    const mallory = await person(meeting.id, 'Mallory');
    assert.equal((await polls.vote(meeting.id, poll.id, mallory.token, [0])).status, 200);
    const removed = await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${mallory.identity}/remove`, { token: host });
    assert.equal(removed.status, 200);
    assert.equal((await polls.vote(meeting.id, poll.id, mallory.token, [1])).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await stack.join(meeting.id, mallory.token)).body.error?.code, 'ADMISSION_DENIED', 'and cannot come back to vote');
    assert.equal((await polls.vote(meeting.id, poll.id, mallory.token, [1])).body.error?.code, 'INSUFFICIENT_PERMISSION');

    const other = await stack.meeting({ allowAnonymous: true });
    const guest = await stack.join(other.meeting.id, undefined, { displayName: 'Guest' });
    const guestToken = guest.body.guestToken;
    assert.ok(guestToken !== undefined);
    assert.equal((await polls.vote(meeting.id, poll.id, guestToken, [0])).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await polls.vote(meeting.id, poll.id, 'not-a-token', [0])).status, 401);
    // Mallory's vote from before the removal stands; nothing after it counted.
    assert.deepEqual(await counts(meeting.id, host), [[1, 0, 0]]);
  });

  it('out-of-range, negative, duplicate and too many indexes count nothing', async () => {
    const { meeting, host } = await stack.meeting();
    const mallory = await person(meeting.id, 'Mallory');
    const single = (await polls.create(meeting.id, host, QUESTION)).body;
    const multi = (await polls.create(meeting.id, host, { ...QUESTION, multiple: true })).body;
    const attempts: Array<[string, unknown]> = [
      [single.id, [3]],
      [single.id, [9]],
      [single.id, [-1]],
      [single.id, [0, 1]],
      [multi.id, [0, 0]],
      [multi.id, [1, 1, 1]],
      [multi.id, [0, 1, 2, 3]],
      [multi.id, [0, 1e9]],
      [multi.id, Array.from({ length: 200 }, () => 0)],
      [multi.id, ['0']],
    ];
    for (const [pollId, options] of attempts) {
      const res = await polls.vote(meeting.id, pollId, mallory.token, options);
      assert.equal(res.status, 400, JSON.stringify(options).slice(0, 40));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
    }
    assert.deepEqual(await counts(meeting.id, host), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const stored = await stack.app.deps.db.query('SELECT 1 FROM meeting_poll_votes WHERE poll_id = ANY ($1::uuid[])', [[single.id, multi.id]]);
    assert.equal(stored.rowCount, 0);
  });

  it('an anonymous poll never shows who voted what: not in the list, the vote answer nor the room push', async () => {
    const { meeting, host } = await stack.meeting();
    const voters = [await person(meeting.id, 'Alice Secret'), await person(meeting.id, 'Bob Hidden')];
    const pushes = recordPollPushes(stack.media, meeting.roomName);
    try {
      const poll = (await polls.create(meeting.id, host, { ...QUESTION, anonymous: true })).body;
      assert.equal(poll.anonymous, true);
      const answers = [await polls.vote(meeting.id, poll.id, voters[0]!.token, [0]), await polls.vote(meeting.id, poll.id, voters[1]!.token, [1])];
      const asHost = await polls.list(meeting.id, host);
      const asVoter = await polls.list(meeting.id, voters[0]!.token);
      const closed = await polls.close(meeting.id, poll.id, host);
      await pushes.next((p) => p.poll.id === poll.id && p.poll.status === 'closed');

      assert.deepEqual(asHost.body[0]?.options.map((o) => o.votes), [1, 1, 0], 'the counts are there');
      assert.equal(asHost.body[0].voters, undefined);
      assert.deepEqual(asVoter.body[0]?.myVote, [0], 'each voter sees their own vote');
      // Every answer anyone got, and every packet the room got: no voter's identity or name.
      const seen = [...answers.map((a) => JSON.stringify(a.body)), JSON.stringify(asHost.body), JSON.stringify(asVoter.body), JSON.stringify(closed.body), ...pushes.packets.map((p) => p.raw)];
      for (const [i, text] of seen.entries()) {
        for (const v of voters) {
          assert.ok(!text.includes(v.name), `answer ${String(i)} names ${v.name}`);
          assert.ok(!text.includes(v.identity), `answer ${String(i)} carries ${v.identity}`);
        }
        assert.ok(!text.includes('"voters"'), `answer ${String(i)} has a voters field`);
      }
      // Bob's answer has his own vote only, and nothing about Alice's.
      assert.deepEqual(answers[1]?.body.myVote, [1]);
    } finally {
      pushes.stop();
    }
  });
});
