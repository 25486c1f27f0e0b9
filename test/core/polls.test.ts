// The polls unit against the real token server and the embedded media server: results reach the
// others through the server's push, the user's own vote through the server's answer, and a late
// joiner finds the polls as state without news.
import { expect } from '@open-wc/testing';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { PollNews } from '../../src/core/controller/events.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('polls in the core', function () {
  this.timeout(60000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await stopStack();
  });

  async function joined(meetingId: string, name: string): Promise<MeetingController> {
    const controller = new MeetingController({ api: await signIn(stack, name), meetingId });
    controllers.push(controller);
    await controller.join({ displayName: name });
    return controller;
  }

  /**
   * Until a newcomer's data channel is open, what the room sends it is lost (polls pushes
   * included; the list it read on arrival covers what came before). A reaction from `from` seen at
   * `to` says the path is open.
   */
  async function dataFlows(from: MeetingController, to: MeetingController): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await from.react('👍');
      try {
        await stateWhere(to, (s) => s.reactions.some((r) => r.identity === from.state.localIdentity), 'a reaction', 1000);
        return;
      } catch {
        // Not open yet: send another.
      }
    }
    throw new Error('no data reached the other participant');
  }

  it('a poll started by one reaches the other; votes and the close come back as results and news', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Petra'));
    const host = await joined(meetingId, 'Petra');
    const guest = await joined(meetingId, 'Quentin');
    const hostNews: Array<[string, PollNews]> = [];
    const guestNews: Array<[string, PollNews]> = [];
    for (const [c, log] of [
      [host, hostNews],
      [guest, guestNews],
    ] as const) {
      c.on('poll-opened', (p) => log.push(['opened', p]));
      c.on('poll-closed', (p) => log.push(['closed', p]));
    }
    await stateWhere(host, (s) => s.participants.length === 2, 'both in the call');
    await dataFlows(host, guest);
    expect(host.state.abilities.createPolls).to.equal(true);

    await host.createPoll({ question: ' Lunch? ', options: ['Now', 'Later', 'Never'] });
    expect(host.state.polls.map((p) => p.question)).to.deep.equal(['Lunch?']);
    expect(hostNews.map(([kind, p]) => [kind, p.isLocal])).to.deep.equal([['opened', true]]);
    const seen = await stateWhere(guest, (s) => s.polls.length === 1, 'the poll at the guest');
    const poll = seen.polls[0]!;
    expect(poll.myVote).to.equal(null);
    expect(guestNews.map(([kind, p]) => [kind, p.id, p.isLocal])).to.deep.equal([['opened', poll.id, false]]);

    await guest.vote(poll.id, [1]);
    expect(guest.state.polls[0]?.myVote).to.deep.equal([1]);
    const counted = await stateWhere(host, (s) => s.polls[0]?.options[1]?.votes === 1, "the guest's vote at the host");
    expect(counted.polls[0]?.myVote, 'the host did not vote').to.equal(null);
    await guest.vote(poll.id, [2]);
    await stateWhere(host, (s) => s.polls[0]?.options.map((o) => o.votes).join() === '0,0,1', 'the changed vote at the host');
    expect(guest.state.polls[0]?.voterCount).to.equal(1);

    await host.closePoll(poll.id);
    await stateWhere(guest, (s) => s.polls[0]?.status === 'closed', 'the close at the guest');
    expect(guestNews.map(([kind]) => kind)).to.deep.equal(['opened', 'closed']);
    expect(hostNews.map(([kind, p]) => [kind, p.isLocal])).to.deep.equal([
      ['opened', true],
      ['closed', true],
    ]);
    expect(guest.state.polls[0]?.myVote, 'the vote stays marked').to.deep.equal([2]);
    let refused: unknown;
    await guest.vote(poll.id, [0]).catch((error: unknown) => (refused = error));
    expect((refused as { code?: string }).code).to.equal('POLL_CLOSED');
    expect(guest.state.lastError?.code).to.equal('POLL_CLOSED');

    // Someone arriving now finds both polls as state, and hears nothing of them.
    await host.createPoll({ question: 'Coffee?', options: ['Yes', 'No'], multiple: true, anonymous: true });
    const late = new MeetingController({ api: await signIn(stack, 'Rita'), meetingId });
    controllers.push(late);
    const lateNews: string[] = [];
    late.on('poll-opened', (p) => lateNews.push(p.question));
    late.on('poll-closed', (p) => lateNews.push(p.question));
    await late.join({ displayName: 'Rita' });
    const found = await stateWhere(late, (s) => s.polls.length === 2, 'the polls at the late joiner');
    expect(found.polls.map((p) => [p.question, p.status])).to.deep.equal([
      ['Lunch?', 'closed'],
      ['Coffee?', 'open'],
    ]);
    expect(found.polls[0]?.voters?.map((v) => v.displayName)).to.deep.equal(['Quentin']);
    expect(found.polls[1]?.voters, 'an anonymous poll has no voters').to.equal(undefined);
    await late.vote(found.polls[1]!.id, [0, 1]);
    await stateWhere(host, (s) => s.polls[1]?.voterCount === 1, 'the late vote at the host');
    expect(lateNews).to.deep.equal([]);
  });

  it('follows the policy for starting polls, and checks what it sends', async () => {
    const hostApi = await signIn(stack, 'Sven');
    const meetingId = await createMeeting(hostApi, { polls: 'hosts' });
    const host = await joined(meetingId, 'Sven');
    const attendee = await joined(meetingId, 'Tove');
    await dataFlows(host, attendee);
    expect(attendee.state.abilities.createPolls).to.equal(false);
    let refused: unknown;
    await attendee.createPoll({ question: 'Mine?', options: ['a', 'b'] }).catch((error: unknown) => (refused = error));
    expect((refused as { code?: string }).code).to.equal('FEATURE_DISABLED');

    for (const input of [
      { question: '', options: ['a', 'b'] },
      { question: 'Q', options: ['only'] },
      { question: 'Q', options: ['a', 'A'] },
      { question: 'Q', options: ['a', 'x'.repeat(101)] },
    ]) {
      let error: unknown;
      await host.createPoll(input).catch((e: unknown) => (error = e));
      expect((error as { code?: string }).code, JSON.stringify(input)).to.equal('VALIDATION_FAILED');
    }
    expect(host.state.polls).to.deep.equal([]);
    // A host's poll opens for everyone, and the attendee may vote in it.
    await host.createPoll({ question: 'Ok?', options: ['Yes', 'No'] });
    const seen = await stateWhere(attendee, (s) => s.polls.length === 1, 'the host’s poll at the attendee');
    await attendee.vote(seen.polls[0]!.id, [0]);
    expect(attendee.state.polls[0]?.options[0]?.votes).to.equal(1);
  });
});
