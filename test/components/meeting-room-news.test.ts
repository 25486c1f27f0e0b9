// What <meeting-room> tells the host page and the user is the core's news, never a diff of state:
// a late joiner hears nothing of the chat history, and every failure the UI shows is the
// catalogue's words for its code, French included. Against the real token and media servers.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { translate } from '../../src/i18n/translate.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, joinFromLobby, until } from '../support/room-driver.js';

const announcer = (room: MeetingRoom) => deep(room, ['[part~="announcer"]'])[0]?.textContent ?? '';

describe('<meeting-room> news and words', function () {
  this.timeout(90000);
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

  it('a late joiner gets no event and no announcement for the chat history, then one of each for the next message', async () => {
    const hostApi = await signIn(stack, 'Hedda');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    const early = new MeetingController({ api: await signIn(stack, 'Ezra'), meetingId });
    controllers.push(host, early);
    await host.join({ displayName: 'Hedda' });
    await early.join({ displayName: 'Ezra' });
    await early.sendChat('first');
    await host.sendChat('second');
    await stateWhere(early, (s) => s.chat.messages.length === 2, 'both messages at the early joiner');

    const token = await devToken(stack, 'Lara');
    const late = await fixture<MeetingRoom>(html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} display-name="Lara" video="off" audio="off" style="height: 480px"></meeting-room>`);
    late.auth = () => Promise.resolve(token);
    const messages: string[] = [];
    late.addEventListener('meeting-chat-message', (event) => messages.push(event.detail.text));
    await until('the late lobby', () => late.controller?.state.phase === 'lobby');
    await joinFromLobby(late, 'Lara');
    await until('the history and everyone at the late joiner', () => late.controller?.state.chat.messages.length === 2 && late.controller.state.participants.length === 3, 20000);
    // The room has rendered the state that holds the history: the old snapshot diffing fired here.
    await late.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await late.updateComplete;
    expect(messages, 'history is not news').to.deep.equal([]);
    expect(announcer(late)).to.not.contain('first');
    expect(announcer(late)).to.not.contain('second');

    await early.sendChat('third');
    await until('the third message event', () => messages.length > 0);
    await until('the third message announced', () => announcer(late).includes('Ezra wrote: third'));
    expect(messages).to.deep.equal(['third']);
    expect(announcer(late)).to.equal('Ezra wrote: third');
    late.remove();
  });

  it('shows failures in the catalogue words for their code, in French too, and tells the page the same', async () => {
    const hostApi = await signIn(stack, 'Rosa');
    const meetingId = await createMeeting(hostApi, { allowAnonymous: true });

    // Refused before the host is there: the lobby and the page get the French text, not the server's English.
    const early = await fixture<MeetingRoom>(html`<meeting-room lang="fr" server=${stack.apiUrl} meeting-id=${meetingId} display-name="Tom" skip-lobby video="off" audio="off"></meeting-room>`);
    const errors: Array<{ code: string; message: string }> = [];
    early.addEventListener('meeting-error', (event) => errors.push({ code: event.detail.code, message: event.detail.message }));
    await until('the refusal', () => early.controller?.state.phase === 'error');
    const notStarted = translate('fr', 'error.MEETING_NOT_ACTIVE');
    expect(notStarted).to.equal('La réunion n’a pas encore commencé.');
    await until('the refusal in the lobby', () => deep(early, ['meeting-lobby', '[part~="message"][role="alert"]']).some((m) => m.textContent.trim() === notStarted));
    expect(errors).to.deep.equal([{ code: 'MEETING_NOT_ACTIVE', message: notStarted }]);
    expect(early.controller?.state.lastError?.message, 'the core still has its English, for developers').to.match(/not started/);
    expect(deep(early, ['meeting-lobby'])[0]!.shadowRoot!.textContent).to.not.match(/not started/);
    early.remove();

    // A failed action in the call (this media server cannot record): the banner speaks French.
    const token = await devToken(stack, 'Rosa');
    const host = await fixture<MeetingRoom>(html`<meeting-room lang="fr" server=${stack.apiUrl} meeting-id=${meetingId} style="height: 480px"></meeting-room>`);
    host.auth = () => Promise.resolve(token);
    await until('the host lobby', () => host.controller?.state.phase === 'lobby');
    await joinFromLobby(host, 'Rosa');
    await until('the host in the call', () => deep(host, ['meeting-controls', '[part~="record"]']).length === 1);
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="record"]'])[0]!.click();
    await until('the refusal banner', () => deep(host, ['[part~="error"]']).length === 1);
    expect(host.controller?.state.lastError?.code).to.equal('MEDIA_SERVER_UNAVAILABLE');
    expect(deep(host, ['[part~="error"] span'])[0]!.textContent.trim()).to.equal(translate('fr', 'error.MEDIA_SERVER_UNAVAILABLE'));

    // A message the core refuses (too long): the chat says so in French, not in the core's English.
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="chat"]'])[0]!.click();
    await until('the chat panel', () => deep(host, ['meeting-chat', '[part~="input"]']).length === 1);
    const input = deep<HTMLInputElement>(host, ['meeting-chat', '[part~="input"]'])[0]!;
    input.value = 'x'.repeat(4001);
    input.dispatchEvent(new Event('input'));
    await until('the send button', () => deep<HTMLButtonElement>(host, ['meeting-chat', '[part~="send"]'])[0]?.disabled === false);
    deep<HTMLButtonElement>(host, ['meeting-chat', '[part~="send"]'])[0]!.click();
    await until('the refusal in the chat', () => deep(host, ['meeting-chat', '[role="alert"]']).length === 1);
    expect(deep(host, ['meeting-chat', '[role="alert"]'])[0]!.textContent.trim()).to.equal(translate('fr', 'error.VALIDATION_FAILED'));

    // Removed by the host: the guest's end screen says why, in French.
    const guest = await fixture<MeetingRoom>(html`<meeting-room lang="fr" server=${stack.apiUrl} meeting-id=${meetingId} display-name="Tom" skip-lobby video="off" audio="off"></meeting-room>`);
    await until('the guest in the call', () => guest.controller?.state.phase === 'connected');
    await until('the guest at the host', () => host.controller?.state.participants.length === 2);
    await host.controller!.remove(guest.controller!.state.localIdentity!);
    await until('the guest removed', () => guest.controller?.state.phase === 'left');
    await guest.updateComplete;
    expect(deep(guest, ['[part~="status"] p'])[0]!.textContent.trim()).to.equal(translate('fr', 'error.REMOVED'));
    await until('the host hears the guest left', () => announcer(host).includes('Tom est parti.'));
    guest.remove();
    host.remove();
  });
});
