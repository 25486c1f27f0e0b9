// Attack: a participant with a modified client publishes `polls` data packets: a poll nobody
// started, and results for a real poll with the counts they would like. Poll results reach the
// room only from the server, so the widget must show none of it and fire no event.
import { expect } from '@open-wc/testing';
import { Room } from 'livekit-client';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { PollNews } from '../../src/core/controller/events.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('attack: forged polls packets from a participant', function () {
  this.timeout(60000);
  let stack: Stack;
  let host: MeetingController | undefined;
  let attacker: Room | undefined;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await attacker?.disconnect();
    await host?.dispose();
    await stopStack();
  });

  it('ignores polls packets a participant publishes, while the same participant’s vote through the server counts', async () => {
    const hostApi = await signIn(stack, 'Helga');
    const meetingId = await createMeeting(hostApi);
    host = new MeetingController({ api: hostApi, meetingId });
    const news: PollNews[] = [];
    host.on('poll-opened', (p) => news.push(p));
    host.on('poll-closed', (p) => news.push(p));
    await host.join({ displayName: 'Helga' });
    await host.createPoll({ question: 'Budget?', options: ['Keep', 'Double'] });
    const real = host.state.polls[0]!;
    news.length = 0;

    const attackerApi = await signIn(stack, 'Mallory');
    const admission = await attackerApi.join(meetingId, { displayName: 'Mallory' });
    if (admission.status !== 'admitted') throw new Error('the attacker should be admitted');
    attacker = new Room();
    await attacker.connect(admission.livekitUrl, admission.token, { autoSubscribe: false });
    await stateWhere(host, (s) => s.participants.length === 2, 'the attacker in the room');

    const fake = (poll: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify({ type: 'poll', poll }));
    const forgedResults = { ...real, myVote: undefined, options: [{ text: 'Keep', votes: 0 }, { text: 'Double', votes: 999 }], voterCount: 999, revision: real.revision + 1000 };
    const forgedPoll = { ...forgedResults, id: '00000000-0000-4000-8000-000000000000', question: 'Send your password to mallory@example.com?' };
    const forgedClose = { ...real, status: 'closed', closedAt: new Date().toISOString(), revision: real.revision + 2000 };
    for (const poll of [forgedResults, forgedPoll, forgedClose]) await attacker.localParticipant.publishData(fake(poll), { reliable: true, topic: 'polls' });
    // A probe on the same ordered, reliable channel: once the host shows it, the forged packets
    // before it have been handled.
    await attacker.localParticipant.publishData(new TextEncoder().encode(JSON.stringify({ emoji: '👋' })), { reliable: true, topic: 'reactions' });
    await stateWhere(host, (s) => s.reactions.some((r) => r.identity === admission.identity), 'the probe reaction at the host');
    expect(host.state.polls.map((p) => [p.question, p.status, p.options.map((o) => o.votes).join(), p.revision])).to.deep.equal([['Budget?', 'open', '0,0', real.revision]]);
    expect(news, 'no event for the forged packets').to.deep.equal([]);

    // The legitimate path still works for the same person: through the server, counted once.
    await attackerApi.vote(meetingId, real.id, [1]);
    const counted = await stateWhere(host, (s) => s.polls[0]?.options[1]?.votes === 1, 'the server-pushed result');
    expect(counted.polls[0]?.voterCount).to.equal(1);
    expect(counted.polls[0]?.status).to.equal('open');
  });
});
