// Polls over real HTTP, on both databases, with the embedded media server as the room.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import pLimit from 'p-limit';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { pollCalls, recordPollPushes, type PollCalls } from './polls-support.js';

after(async () => {
  await stopOwnCluster();
});

const QUESTION = { question: 'Where shall we eat?', options: ['Pizza', 'Sushi', 'Tacos'] };

describeEachDatabase('polls API', (backend) => {
  let stack: MediaStack & { handle: Awaited<ReturnType<typeof backend.create>> };
  let polls: PollCalls;

  before(async () => {
    stack = await startMediaStack(backend);
    polls = pollCalls(stack.app.url);
  });
  after(async () => {
    await stack.close();
  });

  /** A meeting with its host and `count` attendees joined; each person's bearer and identity. */
  const meetingWithPeople = async (count: number, policy: Record<string, unknown> = {}) => {
    const { meeting, host, hostJoin } = await stack.meeting(policy);
    const people = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const token = await stack.user(`Person ${String(i + 1)}`);
        const joined = await stack.join(meeting.id, token, { displayName: `Person ${String(i + 1)}` });
        assert.equal(joined.status, 200, JSON.stringify(joined.body));
        return { token, identity: joined.body.identity };
      }),
    );
    return { meeting, host: { token: host, identity: hostJoin.identity }, people };
  };

  it('creates a poll, counts votes, replaces a second vote and shows each caller their own', async () => {
    const { meeting, host, people } = await meetingWithPeople(2);
    const [ann, bob] = people as [(typeof people)[0], (typeof people)[0]];
    const created = await polls.create(meeting.id, ann.token, QUESTION);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const poll = created.body;
    assert.match(poll.id, /^[0-9a-f-]{36}$/);
    assert.equal(poll.meetingId, meeting.id);
    assert.equal(poll.question, 'Where shall we eat?');
    assert.deepEqual(poll.options, [
      { text: 'Pizza', votes: 0 },
      { text: 'Sushi', votes: 0 },
      { text: 'Tacos', votes: 0 },
    ]);
    assert.equal(poll.multiple, false);
    assert.equal(poll.anonymous, false);
    assert.equal(poll.status, 'open');
    assert.equal(poll.createdBy, ann.identity);
    assert.equal(poll.closedAt, null);
    assert.equal(poll.myVote, null);
    assert.deepEqual(poll.voters, []);
    assert.ok(!Number.isNaN(Date.parse(poll.createdAt)));

    const annVote = await polls.vote(meeting.id, poll.id, ann.token, [1]);
    assert.equal(annVote.status, 200, JSON.stringify(annVote.body));
    assert.deepEqual(annVote.body.myVote, [1]);
    assert.deepEqual(annVote.body.options.map((o) => o.votes), [0, 1, 0]);
    assert.equal((await polls.vote(meeting.id, poll.id, bob.token, [1])).status, 200);
    // Bob changes his mind while the poll is open: his vote moves, he is counted once.
    const moved = await polls.vote(meeting.id, poll.id, bob.token, [2]);
    assert.deepEqual(moved.body.options.map((o) => o.votes), [0, 1, 1]);
    assert.deepEqual(moved.body.myVote, [2]);
    assert.equal(moved.body.voterCount, 2);
    assert.ok(moved.body.revision > annVote.body.revision);

    const asHost = await polls.list(meeting.id, host.token);
    assert.equal(asHost.status, 200);
    assert.equal(asHost.body.length, 1);
    assert.equal(asHost.body[0]?.myVote, null, 'the host did not vote');
    assert.deepEqual(
      asHost.body[0].voters?.map((v) => [v.displayName, v.options]),
      [
        ['Person 1', [1]],
        ['Person 2', [2]],
      ],
    );
    assert.deepEqual((await polls.list(meeting.id, ann.token)).body[0]?.myVote, [1]);
  });

  it('takes several options when the poll allows it, one otherwise', async () => {
    const { meeting, host, people } = await meetingWithPeople(1);
    const [ann] = people as [(typeof people)[0]];
    const multi = (await polls.create(meeting.id, host.token, { ...QUESTION, multiple: true })).body;
    const both = await polls.vote(meeting.id, multi.id, ann.token, [2, 0]);
    assert.equal(both.status, 200, JSON.stringify(both.body));
    assert.deepEqual(both.body.myVote, [0, 2], 'kept in option order');
    assert.deepEqual(both.body.options.map((o) => o.votes), [1, 0, 1]);
    assert.equal(both.body.voterCount, 1);

    const single = (await polls.create(meeting.id, host.token, QUESTION)).body;
    const two = await polls.vote(meeting.id, single.id, ann.token, [0, 1]);
    assert.equal(two.status, 400);
    assert.equal(two.body.error?.code, 'VALIDATION_FAILED');
    assert.deepEqual(two.body.error.details?.map((d) => d.field), ['body.options']);
  });

  it('closes for the host, a co-host and the creator only; a closed poll refuses votes and stays listed', async () => {
    const { meeting, host, people } = await meetingWithPeople(3);
    const [ann, bob, cy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const byAnn = (await polls.create(meeting.id, ann.token, QUESTION)).body;
    const refused = await polls.close(meeting.id, byAnn.id, bob.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'INSUFFICIENT_PERMISSION');
    await polls.vote(meeting.id, byAnn.id, bob.token, [0]);
    const closed = await polls.close(meeting.id, byAnn.id, ann.token);
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.status, 'closed');
    assert.ok(closed.body.closedAt !== null);
    const late = await polls.vote(meeting.id, byAnn.id, cy.token, [1]);
    assert.equal(late.status, 409);
    assert.equal(late.body.error?.code, 'POLL_CLOSED');
    const again = await polls.close(meeting.id, byAnn.id, ann.token);
    assert.equal(again.status, 200, 'closing twice is not an error');
    assert.equal(again.body.closedAt, closed.body.closedAt);

    const byHost = (await polls.create(meeting.id, host.token, QUESTION)).body;
    await api(stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${cy.identity}/role`, { token: host.token, body: { role: 'co-host' } });
    assert.equal((await polls.close(meeting.id, byHost.id, cy.token)).body.status, 'closed', 'a co-host closes the host’s poll');
    const byBob = (await polls.create(meeting.id, bob.token, QUESTION)).body;
    assert.equal((await polls.close(meeting.id, byBob.id, host.token)).body.status, 'closed', 'the host closes anyone’s poll');

    const listed = (await polls.list(meeting.id, bob.token)).body;
    assert.deepEqual(
      listed.map((p) => [p.id, p.status]),
      [
        [byAnn.id, 'closed'],
        [byHost.id, 'closed'],
        [byBob.id, 'closed'],
      ],
    );
    assert.deepEqual(listed[0]?.options.map((o) => o.votes), [1, 0, 0], 'the result is kept');
  });

  it('follows policy.polls: hosts only, nobody, and a change of policy', async () => {
    const { meeting, host, people } = await meetingWithPeople(1, { polls: 'hosts' });
    const [ann] = people as [(typeof people)[0]];
    assert.equal(meeting.policy.polls, 'hosts');
    const refused = await polls.create(meeting.id, ann.token, QUESTION);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'FEATURE_DISABLED');
    const hostPoll = await polls.create(meeting.id, host.token, QUESTION);
    assert.equal(hostPoll.status, 201);
    assert.equal((await polls.vote(meeting.id, hostPoll.body.id, ann.token, [0])).status, 200, 'everyone present votes');

    const off = await api<MeetingView>(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host.token, body: { policy: { polls: 'nobody' } } });
    assert.equal(off.body.policy.polls, 'nobody');
    assert.equal((await polls.create(meeting.id, host.token, QUESTION)).body.error?.code, 'FEATURE_DISABLED');
    await api(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host.token, body: { policy: { polls: 'everyone' } } });
    assert.equal((await polls.create(meeting.id, ann.token, QUESTION)).status, 201);
    const bad = await api<{ error: { code: string } }>(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host.token, body: { policy: { polls: 'sometimes' } } });
    assert.equal(bad.status, 400);
    const fresh = await api<MeetingView>(stack.app.url, 'POST', '/meetings', { token: host.token, body: { title: 'Defaults' } });
    assert.equal(fresh.body.policy.polls, 'everyone');
  });

  it('names unknown polls, and polls of another meeting, POLL_NOT_FOUND', async () => {
    const one = await meetingWithPeople(0);
    const other = await meetingWithPeople(0);
    const elsewhere = (await polls.create(other.meeting.id, other.host.token, QUESTION)).body;
    for (const pollId of [randomUUID(), elsewhere.id]) {
      const vote = await polls.vote(one.meeting.id, pollId, one.host.token, [0]);
      assert.equal(vote.status, 404);
      assert.equal(vote.body.error?.code, 'POLL_NOT_FOUND');
      assert.equal((await polls.close(one.meeting.id, pollId, one.host.token)).body.error?.code, 'POLL_NOT_FOUND');
    }
    assert.equal((await polls.vote(one.meeting.id, 'not-a-uuid', one.host.token, [0])).status, 400);
  });

  it('refuses bad polls and bad votes with the offending fields', async () => {
    const { meeting, host } = await meetingWithPeople(0);
    const bodies: unknown[] = [
      {},
      { question: '', options: ['a', 'b'] },
      { question: '   ', options: ['a', 'b'] },
      { question: 'x'.repeat(301), options: ['a', 'b'] },
      { question: 'Q', options: ['only one'] },
      { question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${String(i)}`) },
      { question: 'Q', options: ['a', ''] },
      { question: 'Q', options: ['a', 'x'.repeat(101)] },
      { question: 'Q', options: ['Same', 'same'] },
      { question: 'Q', options: ['a', 'b'], multiple: 'yes' },
      { question: 'Q', options: ['a', 'b'], extra: 1 },
      { question: 42, options: 'a,b' },
    ];
    for (const body of bodies) {
      const res = await polls.create(meeting.id, host.token, body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
      assert.ok((res.body.error.details?.length ?? 0) > 0);
    }
    const trimmed = await polls.create(meeting.id, host.token, { question: '  Trim me  ', options: [' a ', 'b'] });
    assert.equal(trimmed.body.question, 'Trim me');
    assert.equal(trimmed.body.options[0]?.text, 'a');
    const poll = trimmed.body;
    for (const options of [[], [-1], [1.5], ['0'], null, [0, 0], Array.from({ length: 11 }, () => 0)]) {
      const res = await polls.vote(meeting.id, poll.id, host.token, options);
      assert.equal(res.status, 400, JSON.stringify(options));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
    }
    const outOfRange = await polls.vote(meeting.id, poll.id, host.token, [2]);
    assert.equal(outOfRange.status, 400);
    assert.deepEqual(outOfRange.body.error?.details?.map((d) => d.field), ['body.options.0']);
    assert.deepEqual((await polls.list(meeting.id, host.token)).body[0]?.options.map((o) => o.votes), [0, 0], 'nothing was counted');
  });

  it('counts 200 parallel votes exactly', async () => {
    const { meeting, host, people } = await meetingWithPeople(200, { maxParticipants: 300 });
    const poll = (await polls.create(meeting.id, host.token, { question: 'Parallel?', options: ['a', 'b', 'c', 'd'], multiple: true })).body;
    // Each person picks by their index: a known total to compare with.
    const picks = people.map((_, i) => (i % 3 === 0 ? [i % 4, (i + 1) % 4] : [i % 4]));
    const expected = [0, 0, 0, 0];
    for (const pick of picks) for (const option of pick) expected[option] = (expected[option] ?? 0) + 1;
    // At most 20 votes in flight: twice the server's database pool (10 connections), so they still
    // contend for it and for the poll's row, but none waits behind 190 others for a connection. All
    // 200 at once, a loaded machine made some wait past the pool's 3 s connect timeout, and the
    // server answered 503 DATABASE_UNAVAILABLE, as it should: a bounded wait, then a retryable
    // refusal, is its answer to overload. This test is about counting, not overload.
    const inFlight = pLimit(20);
    const answers = await Promise.all(people.map((person, i) => inFlight(() => polls.vote(meeting.id, poll.id, person.token, picks[i]))));
    assert.deepEqual(answers.map((a) => a.status).filter((s) => s !== 200), []);
    const final = (await polls.list(meeting.id, host.token)).body[0];
    assert.deepEqual(final?.options.map((o) => o.votes), expected);
    assert.equal(final.voterCount, 200);
    assert.equal(final.voters?.length, 200);
    // Each vote moved the revision by one, none lost to another.
    assert.equal(final.revision, 200);
  });

  it('pushes results to the room from the server: at once, then folded per window, ending on the final counts', async () => {
    const { meeting, host, people } = await meetingWithPeople(20);
    const pushes = recordPollPushes(stack.media, meeting.roomName);
    try {
      const poll = (await polls.create(meeting.id, host.token, QUESTION)).body;
      const announced = await pushes.next((p) => p.poll.id === poll.id);
      assert.equal(announced.type, 'poll');
      assert.equal(announced.poll.question, QUESTION.question);
      assert.equal(announced.poll.status, 'open');
      assert.ok(!('myVote' in announced.poll) && !('voters' in announced.poll), 'a push carries results only');

      await Promise.all(people.map((person, i) => polls.vote(meeting.id, poll.id, person.token, [i % 3])));
      const last = await pushes.next((p) => p.poll.id === poll.id && p.poll.voterCount === 20);
      assert.deepEqual(last.poll.options.map((o) => o.votes), [7, 7, 6]);
      const votePushes = pushes.packets.filter((p) => p.packet.poll.id === poll.id).length - 1;
      assert.ok(votePushes >= 1 && votePushes < 20, `20 votes in a burst were folded into ${String(votePushes)} pushes`);

      await polls.close(meeting.id, poll.id, host.token);
      const closed = await pushes.next((p) => p.poll.id === poll.id && p.poll.status === 'closed');
      assert.ok(closed.poll.revision > last.poll.revision);
    } finally {
      pushes.stop();
    }
  });

  it('keeps polls to the people in the meeting', async () => {
    const { meeting, people } = await meetingWithPeople(1);
    const [ann] = people as [(typeof people)[0]];
    const poll = (await polls.create(meeting.id, ann.token, QUESTION)).body;
    const outsider = await stack.user('Olly');
    assert.equal((await polls.list(meeting.id, outsider)).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await polls.create(meeting.id, outsider, QUESTION)).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await polls.vote(meeting.id, poll.id, outsider, [0])).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await polls.list(meeting.id)).status, 401);
    // After leaving, a person no longer votes.
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: ann.token });
    assert.equal((await polls.vote(meeting.id, poll.id, ann.token, [0])).body.error?.code, 'INSUFFICIENT_PERMISSION');
  });

  it('refuses new polls and votes once the meeting has ended, and keeps them for the host', async () => {
    const { meeting, host } = await meetingWithPeople(0);
    const poll = (await polls.create(meeting.id, host.token, QUESTION)).body;
    await polls.vote(meeting.id, poll.id, host.token, [0]);
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host.token });
    assert.equal((await polls.create(meeting.id, host.token, QUESTION)).body.error?.code, 'MEETING_ENDED');
    assert.equal((await polls.vote(meeting.id, poll.id, host.token, [1])).body.error?.code, 'MEETING_ENDED');
    assert.deepEqual((await polls.list(meeting.id, host.token)).body[0]?.options.map((o) => o.votes), [1, 0, 0]);
  });

  it('keeps polls and votes in the database across a restart of the token server', async () => {
    const { meeting, host } = await meetingWithPeople(0);
    const poll = (await polls.create(meeting.id, host.token, QUESTION)).body;
    await polls.vote(meeting.id, poll.id, host.token, [2]);
    const second = await startApp({ LIVEKIT_URL: stack.media.url, LIVEKIT_API_KEY: 'attackkey', LIVEKIT_API_SECRET: 'attack-secret-long-enough-for-hs256-signing' }, await stack.handle.open());
    try {
      const listed = await pollCalls(second.url).list(meeting.id, host.token);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.deepEqual(listed.body[0]?.myVote, [2]);
      assert.deepEqual(listed.body[0].options.map((o) => o.votes), [0, 0, 1]);
    } finally {
      await second.close();
    }
  });
});

describeEachDatabase('polls rate limit', (backend) => {
  let stack: MediaStack;

  before(async () => {
    stack = await startMediaStack(backend, { RATE_LIMIT_POLL: '3' });
  });
  after(async () => {
    await stack.close();
  });

  it('answers RATE_LIMITED with Retry-After past the limit, per caller', async () => {
    const { meeting, host } = await stack.meeting();
    const polls = pollCalls(stack.app.url);
    const poll = (await polls.create(meeting.id, host, QUESTION)).body;
    assert.equal((await polls.vote(meeting.id, poll.id, host, [0])).status, 200);
    assert.equal((await polls.vote(meeting.id, poll.id, host, [1])).status, 200);
    const limited = await polls.vote(meeting.id, poll.id, host, [2]);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error?.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.deepEqual((await polls.list(meeting.id, host)).body[0]?.myVote, [1], 'the limited vote changed nothing');
    const ann = await stack.user('Ann');
    await stack.join(meeting.id, ann);
    assert.equal((await polls.vote(meeting.id, poll.id, ann, [2])).status, 200, 'another caller has their own allowance');
  });
});
