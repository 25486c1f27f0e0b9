// <meeting-polls> against the real token server and the embedded media server: two widgets on one
// page, one starts a poll, the other votes, both see the result; the keyboard path through the form;
// axe audits in both themes; styling from outside.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import '../../src/components/meeting-polls/meeting-polls.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { MeetingPolls } from '../../src/components/meeting-polls/meeting-polls.component.js';
import type { MeetingPollDetail } from '../../src/components/meeting-room/room-events.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, joinFromLobby, until } from '../support/room-driver.js';

const announcer = (room: MeetingRoom) => deep(room, ['[part~="announcer"]'])[0]?.textContent ?? '';
const polls = (room: MeetingRoom) => deep<MeetingPolls>(room, ['meeting-polls'])[0];
const inPolls = <T extends HTMLElement>(el: Element | undefined, selector: string): T[] => (el ? deep<T>(el, [selector]) : []);
const text = (el: Element | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Types into a field as a user does: the value, then the input event. */
function type(input: HTMLInputElement | undefined, value: string): void {
  if (!input) throw new Error('no field to type into');
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Until a newcomer's data channel is open, what the room sends it is lost: a reaction seen at `to` says it is open. */
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

/** Opens the polls panel from the control bar, or from its "More" menu when the bar is narrow. */
async function openPolls(room: MeetingRoom): Promise<MeetingPolls> {
  await until('the control bar', () => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1);
  const button = deep<HTMLButtonElement>(room, ['meeting-controls', 'button[part~="polls"]'])[0];
  if (button) button.click();
  else {
    deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!.click();
    await until('the polls item in the More menu', () => deep(room, ['meeting-controls', '[part~="polls"][part~="menu-item"]']).length === 1);
    deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="polls"][part~="menu-item"]'])[0]!.click();
  }
  await until('the polls panel', () => polls(room) !== undefined);
  const panel = polls(room)!;
  await panel.updateComplete;
  return panel;
}

describe('<meeting-polls>', function () {
  this.timeout(120000);
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

  it('one widget starts a poll, the other votes, both see the result; the closed poll stays', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Hilde'));
    const hostToken = await devToken(stack, 'Hilde');
    const guestToken = await devToken(stack, 'Gus');
    const host = await fixture<MeetingRoom>(html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} video="off" audio="off" style="height: 560px; width: 1100px"></meeting-room>`);
    host.auth = () => Promise.resolve(hostToken);
    const guest = await fixture<MeetingRoom>(html`<meeting-room theme="dark" server=${stack.apiUrl} meeting-id=${meetingId} video="off" audio="off" style="height: 560px; width: 1100px"></meeting-room>`);
    guest.auth = () => Promise.resolve(guestToken);
    const guestEvents: Array<[string, MeetingPollDetail]> = [];
    guest.addEventListener('meeting-poll-opened', (e) => guestEvents.push(['opened', e.detail]));
    guest.addEventListener('meeting-poll-closed', (e) => guestEvents.push(['closed', e.detail]));
    for (const [room, name] of [
      [host, 'Hilde'],
      [guest, 'Gus'],
    ] as const) {
      await until(`${name}'s lobby`, () => room.controller?.state.phase === 'lobby');
      await joinFromLobby(room, name);
    }
    await until('both in the call', () => host.controller?.state.participants.length === 2 && guest.controller?.state.participants.length === 2, 20000);
    await dataFlows(host.controller!, guest.controller!);
    await dataFlows(guest.controller!, host.controller!);
    // The call's view arrives on demand: its bar is there once the leave button is.
    await until('both control bars', () => [host, guest].every((room) => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1));
    expect(guest.controller?.state.abilities.createPolls, 'an attendee may start polls by default').to.equal(true);

    // The host writes the poll with the keyboard: the form opens on the question, Enter starts it.
    const hostPanel = await openPolls(host);
    inPolls<HTMLButtonElement>(hostPanel, '[part~="new"]')[0]!.click();
    await until('the form', () => inPolls(hostPanel, '[part~="form"]').length === 1);
    await until('the question field focused', () => hostPanel.shadowRoot?.activeElement === inPolls(hostPanel, '[part~="question-input"]')[0]);
    type(inPolls<HTMLInputElement>(hostPanel, '[part~="question-input"]')[0], 'Which day for the retro?');
    type(inPolls<HTMLInputElement>(hostPanel, '[part~="option-input"]')[0], 'Monday');
    type(inPolls<HTMLInputElement>(hostPanel, '[part~="option-input"]')[1], 'Tuesday');
    inPolls<HTMLButtonElement>(hostPanel, '[part~="add-option"]')[0]!.click();
    await until('a third option, focused', () => hostPanel.shadowRoot?.activeElement === inPolls(hostPanel, '[part~="option-input"]')[2]);
    type(inPolls<HTMLInputElement>(hostPanel, '[part~="option-input"]')[2], 'Friday');
    await hostPanel.updateComplete;
    inPolls<HTMLFormElement>(hostPanel, 'form[part~="form"]')[0]!.requestSubmit();
    await until('the poll in the host panel', () => inPolls(hostPanel, '[part~="poll"]').length === 1, 10000);
    // The room's push can show the poll before the create request has answered; the form closes on that answer.
    await until('the form closes', () => inPolls(hostPanel, '[part~="form"]').length === 0);
    await until('the host hears it', () => announcer(host).includes('You started a poll: Which day for the retro?'));

    // The guest is told, in the live region and on the bar, before opening anything.
    await until('the guest hears it', () => announcer(guest).includes('Hilde started a poll: Which day for the retro?'));
    await until("the guest's polls badge", () => deep(guest, ['meeting-controls', '[part~="polls"] [part~="badge"]']).length === 1);
    expect(guestEvents.map(([kind, p]) => [kind, p.question, p.isLocal])).to.deep.equal([['opened', 'Which day for the retro?', false]]);
    const guestPanel = await openPolls(guest);
    await until('the poll at the guest', () => inPolls(guestPanel, '[part~="poll"]').length === 1);
    const radios = inPolls<HTMLInputElement>(guestPanel, 'input[type="radio"]');
    expect(radios).to.have.length(3);
    const vote = () => inPolls<HTMLButtonElement>(guestPanel, '[part~="vote"]')[0]!;
    expect(vote().disabled, 'nothing chosen yet').to.equal(true);
    radios[1]!.click();
    await guestPanel.updateComplete;
    vote().click();
    await until('the guest’s vote marked', () => inPolls(guestPanel, '[part~="my-vote"]').length === 1);
    const guestCounts = () => inPolls(guestPanel, '[part~="count"]').map(text);
    expect(guestCounts()).to.deep.equal(['0 of 1 (0%)', '1 of 1 (100%)', '0 of 1 (0%)']);
    expect(text(inPolls(guestPanel, '[part~="option"]')[1])).to.contain('Your vote');
    expect(text(vote())).to.equal('Change vote');
    expect(inPolls(guestPanel, '[part~="close"]'), 'an attendee does not close the host’s poll').to.have.length(0);
    await until('the polls badge gone once voted', () => deep(guest, ['meeting-controls', '[part~="polls"] [part~="badge"]']).length === 0);

    // The host sees the result arrive from the server's push, bars included.
    const hostCounts = () => inPolls(hostPanel, '[part~="count"]').map(text);
    await until('the result at the host', () => hostCounts()[1] === '1 of 1 (100%)');
    // The bars follow (after their transition): empty for nobody's choice, full for everyone's.
    const widths = () => inPolls(hostPanel, '[part~="bar-fill"]').map((el) => Math.round(el.getBoundingClientRect().width));
    const track = Math.round(inPolls(hostPanel, '[part~="bar"]')[1]!.getBoundingClientRect().width);
    expect(track).to.be.greaterThan(100);
    await until('the bars drawn', () => widths().join() === [0, track, 0].join());
    expect(inPolls(hostPanel, '[part~="my-vote"]'), 'the host did not vote').to.have.length(0);
    await expect(host).to.be.accessible();
    await expect(guest).to.be.accessible();

    // The host closes it: both keep it, with the final result and no way to vote.
    inPolls<HTMLButtonElement>(hostPanel, '[part~="close"]')[0]!.click();
    await until('closed at the guest', () => text(inPolls(guestPanel, '[part~="meta"]')[0]).startsWith('Closed'));
    await until('the guest hears of the close', () => announcer(guest).includes('Poll closed: Which day for the retro?'));
    expect(inPolls(guestPanel, 'input'), 'no inputs on a closed poll').to.have.length(0);
    expect(guestCounts()).to.deep.equal(['0 of 1 (0%)', '1 of 1 (100%)', '0 of 1 (0%)']);
    expect(inPolls(guestPanel, '[part~="my-vote"]')).to.have.length(1);
    expect(guestEvents.map(([kind]) => kind)).to.deep.equal(['opened', 'closed']);
    await until('closed at the host', () => inPolls(hostPanel, '[part~="close"]').length === 0);
    await expect(guest).to.be.accessible();
    host.remove();
    guest.remove();
  });

  it('works on its own with a controller: the form by keyboard, policy, French, and styling from outside', async () => {
    const hostApi = await signIn(stack, 'Ines');
    const meetingId = await createMeeting(hostApi, { polls: 'hosts' });
    const host = new MeetingController({ api: hostApi, meetingId });
    const attendee = new MeetingController({ api: await signIn(stack, 'Jon'), meetingId });
    controllers.push(host, attendee);
    await host.join({ displayName: 'Ines' });
    await attendee.join({ displayName: 'Jon' });

    const style = document.createElement('style');
    style.textContent = `.brand { --meeting-poll-bar-color: rgb(0, 128, 0); --meeting-poll-bar-height: 12px; } .brand::part(question) { text-transform: uppercase; }`;
    document.head.append(style);
    const el = await fixture<MeetingPolls>(html`<meeting-polls class="brand" lang="fr" .controller=${host}></meeting-polls>`);
    const other = await fixture<MeetingPolls>(html`<meeting-polls .controller=${attendee}></meeting-polls>`);
    expect(text(inPolls(el, '[part~="heading"]')[0])).to.equal('Sondages');
    expect(inPolls(other, '[part~="new"]'), 'the policy says hosts').to.have.length(0);
    expect(text(inPolls(other, '.empty')[0])).to.equal('No polls yet.');
    await expect(other).to.be.accessible();

    inPolls<HTMLButtonElement>(el, '[part~="new"]')[0]!.click();
    await until('the form', () => inPolls(el, '[part~="form"]').length === 1);
    // An invalid form says why, in words, instead of failing silently.
    inPolls<HTMLFormElement>(el, 'form[part~="form"]')[0]!.requestSubmit();
    await until('the form error', () => inPolls(el, '[part~="error"]').length === 1);
    expect(text(inPolls(el, '[part~="error"]')[0])).to.equal('Écrivez une question et au moins deux choix différents.');
    // Options come and go; focus follows, and there are never fewer than two.
    expect(inPolls(el, '[part~="remove-option"]'), 'two options cannot shrink').to.have.length(0);
    inPolls<HTMLButtonElement>(el, '[part~="add-option"]')[0]!.click();
    await until('three options', () => inPolls(el, '[part~="option-input"]').length === 3);
    inPolls<HTMLButtonElement>(el, '[part~="remove-option"]')[2]!.click();
    await until('two again, focus on the one before', () => inPolls(el, '[part~="option-input"]').length === 2 && el.shadowRoot?.activeElement === inPolls(el, '[part~="option-input"]')[1]);
    // Escape leaves the form and gives focus back to its button.
    inPolls<HTMLInputElement>(el, '[part~="option-input"]')[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await until('the form closed, focus on its button', () => inPolls(el, '[part~="form"]').length === 0 && el.shadowRoot?.activeElement === inPolls(el, '[part~="new"]')[0]);

    await host.createPoll({ question: 'Pizza or pasta?', options: ['Pizza', 'Pasta'], multiple: true, anonymous: true });
    await until('the poll', () => inPolls(el, '[part~="poll"]').length === 1);
    expect(text(inPolls(el, '[part~="meta"]')[0])).to.equal('Ouvert · Anonyme · Plusieurs choix · Posée par vous · Votants : 0');
    const boxes = inPolls<HTMLInputElement>(el, 'input[type="checkbox"]');
    boxes[0]!.click();
    boxes[1]!.click();
    await el.updateComplete;
    inPolls<HTMLButtonElement>(el, '[part~="vote"]')[0]!.click();
    await until('both counted', () => inPolls(el, '[part~="my-vote"]').length === 2);
    expect(inPolls(el, '[part~="count"]').map(text)).to.deep.equal(['1 sur 1 (100 %)', '1 sur 1 (100 %)']);
    const fill = inPolls(el, '[part~="bar-fill"]')[0]!;
    expect(getComputedStyle(fill).backgroundColor).to.equal('rgb(0, 128, 0)');
    expect(getComputedStyle(inPolls(el, '[part~="bar"]')[0]!).height).to.equal('12px');
    expect(getComputedStyle(inPolls(el, '[part~="question"]')[0]!).textTransform).to.equal('uppercase');
    // Each option's result is read with it: the input is described by its count.
    const described = boxes[0]!.getAttribute('aria-describedby');
    expect(text(el.shadowRoot?.getElementById(described ?? '') ?? undefined)).to.equal('1 sur 1 (100 %)');
    await expect(el).to.be.accessible();

    // A refused vote is told in words: the attendee votes after the host closed it elsewhere.
    await until('the poll at the attendee', () => inPolls(other, '[part~="poll"]').length === 1);
    inPolls<HTMLInputElement>(other, 'input[type="checkbox"]')[0]!.click();
    await other.updateComplete;
    await hostApi.closePoll(meetingId, host.state.polls[0]!.id);
    inPolls<HTMLButtonElement>(other, '[part~="vote"]')[0]?.click();
    await until('closed at the attendee', () => attendee.state.polls[0]?.status === 'closed');
    await other.updateComplete;
    const shown = inPolls(other, '[part~="error"]').map(text);
    // Either the push of the close arrived first (no button any more) or the vote was refused in words.
    if (shown.length > 0) expect(shown).to.deep.equal(['This poll is closed.']);
    expect(inPolls(other, '[part~="vote"]')).to.have.length(0);
    style.remove();
  });
});
