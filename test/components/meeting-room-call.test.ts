// <meeting-room> end to end: two widgets on one page, the real token server and the embedded media
// server behind them. Lobby → waiting room → admitted → both see each other's video → chat → leave.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import type { MeetingChat } from '../../src/components/meeting-chat/meeting-chat.component.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, joinFromLobby, until } from '../support/room-driver.js';

describe('<meeting-room> in a real call', function () {
  this.timeout(60000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stopStack();
  });

  it('takes a guest from the lobby through the waiting room into a call with the host', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Hedy'), { waitingRoom: true, allowAnonymous: true });
    const token = await devToken(stack, 'Hedy');
    // The host's widget speaks French, down to the parts inside it.
    const host = await fixture<MeetingRoom>(html`<meeting-room lang="fr" server=${stack.apiUrl} meeting-id=${meetingId} style="height: 400px"></meeting-room>`);
    host.auth = () => Promise.resolve(token);
    await host.updateComplete;
    const guest = await fixture<MeetingRoom>(html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} style="height: 400px"></meeting-room>`);
    const phases: string[] = [];
    guest.addEventListener('meeting-phase-change', (e) => phases.push(e.detail.phase));

    await until('the host lobby preview', () => host.controller?.state.local.camera.enabled === true);
    await joinFromLobby(host, 'Hedy');
    await until('the host in the call', () => deep(host, ['participant-grid', 'participant-tile']).length === 1);

    await until('the guest lobby preview', () => guest.controller?.state.local.camera.enabled === true);
    await joinFromLobby(guest, 'Grace');
    await until('the guest waiting screen', () => deep(guest, ['[part~="status"]']).length === 1);
    await until('the host to see the request', () => deep(host, ['[part~="admit"]']).length === 1);
    expect(deep(host, ['[part~="waiting"]'])[0]!.textContent).to.contain('Grace demande à entrer');
    deep<HTMLButtonElement>(host, ['[part~="admit"]'])[0]!.click();

    await until('two tiles on each side', () => deep(host, ['participant-grid', 'participant-tile']).length === 2 && deep(guest, ['participant-grid', 'participant-tile']).length === 2);
    const remoteVideo = () =>
      deep<ParticipantTile>(guest, ['participant-grid', 'participant-tile'])
        .filter((tile) => tile.identity !== guest.controller?.state.localIdentity)
        .flatMap((tile) => deep<HTMLVideoElement>(tile, ['video']))[0];
    await until("the host's video playing at the guest", () => (remoteVideo()?.videoWidth ?? 0) > 0);
    expect(phases).to.include.members(['waiting', 'connected']);
    // Screen-reader users hear who came in; tiles expose custom states for styling.
    await until('the join announcement', () => (deep(host, ['[part~="announcer"]'])[0]?.textContent ?? '').includes('Grace a rejoint la réunion.'));
    const localTile = deep<ParticipantTile>(host, ['participant-grid', 'participant-tile']).find((t) => t.identity === host.controller?.state.localIdentity)!;
    expect(localTile.matches(':state(local)')).to.equal(true);

    // Ctrl+E turns the camera off while focus is in the widget.
    guest.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', ctrlKey: true, bubbles: true, composed: true }));
    await until("the guest's camera to go off", () => guest.controller?.state.local.camera.enabled === false);

    // Chat from the guest shows as unread on the host's chat button.
    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="chat"]'])[0]!.click();
    await until('the chat panel', () => deep(guest, ['meeting-chat', '[part~="input"]']).length === 1);
    const chatInput = deep<HTMLInputElement>(guest, ['meeting-chat', '[part~="input"]'])[0]!;
    chatInput.value = 'Hello from the guest';
    chatInput.dispatchEvent(new Event('input'));
    await deep<MeetingChat>(guest, ['meeting-chat'])[0]!.updateComplete;
    deep<HTMLButtonElement>(guest, ['meeting-chat', '[part~="send"]'])[0]!.click();
    await until('the unread badge at the host', () => deep(host, ['meeting-controls', '[part~="badge"]']).length === 1);

    await expect(host).to.be.accessible();
    expect(deep(host, ['meeting-controls', '[part~="leave"]'])[0]!.getAttribute('aria-label')).to.equal('Quitter');
    expect(deep(guest, ['meeting-controls', '[part~="leave"]'])[0]!.getAttribute('aria-label')).to.equal('Leave');

    // The host opens the people panel and mutes the guest from it; the guest's own button says so.
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="people"]'])[0]!.click();
    await until('the people panel', () => deep(host, ['meeting-participants', '[part~="participant"]']).length === 2);
    await until("the guest's mute action", () => deep(host, ['meeting-participants', 'button[aria-label="Couper le micro de Grace"]']).length === 1);
    deep<HTMLButtonElement>(host, ['meeting-participants', 'button[aria-label="Couper le micro de Grace"]'])[0]!.click();
    await until("the guest's microphone button to show it off", () => deep(guest, ['meeting-controls', '[part~="microphone"]'])[0]?.getAttribute('aria-pressed') === 'false');

    // Made co-host from the same panel; the guest's widget learns its new powers.
    const promote = deep<HTMLButtonElement>(host, ['meeting-participants', '[part~="action"]']).find((b) => b.textContent.trim() === 'Nommer co-organisateur')!;
    promote.click();
    await until('the guest to be co-host', () => guest.controller?.state.participants.find((p) => p.isLocal)?.role === 'co-host');

    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="leave"]'])[0]!.click();
    await until('the guest end screen', () => deep(guest, ['[part~="status"]']).length === 1);
    await until('the host alone again', () => deep(host, ['participant-grid', 'participant-tile']).length === 1);
    expect(phases.at(-1)).to.equal('left');
    host.remove();
    guest.remove();
  });
});
