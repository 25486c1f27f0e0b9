// What a host page and its users get from <meeting-room> once in a call, end to end against the
// real token server and the embedded media server: the event set, skip-lobby with media off,
// tile badges and pinning, speaker view, reactions, keyboard paging and the end-for-all confirmation.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, joinFromLobby, until } from '../support/room-driver.js';

/** Every `meeting-*` event a room fires, in order, with its detail. */
function record(room: MeetingRoom): { type: string; detail: Record<string, unknown> }[] {
  const seen: { type: string; detail: Record<string, unknown> }[] = [];
  for (const type of [
    'meeting-joined',
    'meeting-left',
    'meeting-ended',
    'meeting-error',
    'meeting-participant-joined',
    'meeting-participant-left',
    'meeting-chat-message',
    'meeting-hand-raised',
  ]) {
    // Listening on the document proves the events bubble out of the element.
    document.addEventListener(type, (event) => {
      if (event.target === room) seen.push({ type, detail: (event as CustomEvent<Record<string, unknown>>).detail });
    });
  }
  return seen;
}

/** A toggle's state, in the bar (aria-pressed) or in the More menu (aria-checked). */
const pressed = (el: Element | undefined) => el?.getAttribute('aria-pressed') ?? el?.getAttribute('aria-checked');

const tiles = (room: MeetingRoom) => deep<ParticipantTile>(room, ['participant-grid', 'participant-tile']);
const tileOf = (room: MeetingRoom, name: string) => tiles(room).find((t) => t.participant?.name === name);

describe('<meeting-room> call features', function () {
  this.timeout(90000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stopStack();
  });

  it('tells the host page what happens, skips the lobby when asked, and offers the call tools', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Hedy'), { allowAnonymous: true });
    const token = await devToken(stack, 'Hedy');
    const host = await fixture<MeetingRoom>(
      html`<meeting-room class="styled-room" server=${stack.apiUrl} meeting-id=${meetingId} style="height: 480px"><button slot="controls-extra" id="help">Help</button></meeting-room>`,
    );
    // `authProvider` is the other name of `auth`.
    host.authProvider = () => Promise.resolve(token);
    const hostEvents = record(host);
    await until('the host lobby preview', () => host.controller?.state.local.camera.enabled === true);
    await joinFromLobby(host, 'Hedy');
    await until('the host in the call', () => tiles(host).length === 1);
    const hostJoined = hostEvents.find((e) => e.type === 'meeting-joined');
    expect(hostJoined?.detail).to.deep.equal({ meetingId, identity: host.controller?.state.localIdentity, role: 'host' });

    // The page styles a part deep inside a tile, and its own button sits in the control bar.
    const pageStyle = document.createElement('style');
    pageStyle.textContent = '.styled-room::part(tile-label) { text-transform: uppercase; }';
    document.head.append(pageStyle);
    await until('the label styled', () => deep(host, ['participant-grid', 'participant-tile', '[part~="label"]']).some((l) => getComputedStyle(l).textTransform === 'uppercase'));
    pageStyle.remove();
    const helpSlot = deep<HTMLSlotElement>(host, ['meeting-controls', 'slot'])[0]!;
    expect(helpSlot.assignedElements({ flatten: true }).map((e) => e.id)).to.deep.equal(['help']);
    expect(document.getElementById('help')!.getBoundingClientRect().width).to.be.greaterThan(0);

    // The guest's page asks for no lobby, no microphone and no camera.
    const guest = await fixture<MeetingRoom>(
      html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} display-name="Grace" skip-lobby audio="off" video="off" style="height: 480px"></meeting-room>`,
    );
    const guestEvents = record(guest);
    await until('the guest in the call without a lobby', () => tiles(guest).length === 2);
    expect(deep(guest, ['meeting-lobby'])).to.have.length(0);
    expect(guest.controller?.state.local.microphone.enabled).to.equal(false);
    expect(guest.controller?.state.local.camera.enabled).to.equal(false);
    // The bar exposes it as custom states for the page's styling; the host's camera is on.
    const guestBar = deep(guest, ['meeting-controls'])[0]!;
    expect(['muted', 'camera-off', 'sharing', 'hand-raised', 'recording'].filter((state) => guestBar.matches(`:state(${state})`))).to.deep.equal(['muted', 'camera-off']);
    // The host's camera starts after the join (getUserMedia, then publish): the state follows it.
    await until("the host's bar without camera-off", () => !deep(host, ['meeting-controls'])[0]!.matches(':state(camera-off)'));
    expect(guestEvents.find((e) => e.type === 'meeting-joined')?.detail.role).to.equal('attendee');
    await until('the host to hear of the guest', () => hostEvents.some((e) => e.type === 'meeting-participant-joined'));
    expect(hostEvents.find((e) => e.type === 'meeting-participant-joined')?.detail).to.deep.equal({ identity: guest.controller?.state.localIdentity, name: 'Grace' });

    // The guest sees who hosts.
    await until("the host's tile at the guest", () => tileOf(guest, 'Hedy') !== undefined);
    await tileOf(guest, 'Hedy')!.updateComplete;
    expect(deep(tileOf(guest, 'Hedy')!, ['[part~="role"]'])[0]?.textContent.trim()).to.equal('Host');
    expect(deep(tileOf(guest, 'Grace')!, ['[part~="role"]'])).to.have.length(0);

    // Pinning the host, then speaker view: the host takes the stage, the guest is in the strip.
    const pin = deep<HTMLButtonElement>(tileOf(guest, 'Hedy')!, ['[part~="pin"]'])[0]!;
    expect(pin.getAttribute('aria-label')).to.equal('Pin Hedy');
    pin.click();
    await until('the pin to hold', () => guest.controller?.state.pinned === host.controller?.state.localIdentity);
    await until('the pinned state on the tile', () => tileOf(guest, 'Hedy')?.matches(':state(pinned)') === true);
    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="layout"]'])[0]!.click();
    await until('speaker view', () => deep(guest, ['participant-grid', '[part~="stage"] participant-tile']).length === 1);
    expect(deep<ParticipantTile>(guest, ['participant-grid', '[part~="stage"] participant-tile'])[0]!.identity).to.equal(host.controller?.state.localIdentity);
    expect(deep<ParticipantTile>(guest, ['participant-grid', '[part~="filmstrip"] participant-tile']).map((t) => t.identity)).to.deep.equal([guest.controller?.state.localIdentity]);
    expect(pressed(deep(guest, ['meeting-controls', '[part~="layout"]'])[0])).to.equal('true');

    // A reaction from the guest shows on the guest's tile at the host.
    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="react"]'])[0]!.click();
    await until('the reactions', () => deep(guest, ['meeting-controls', '[part~="reaction"]']).length > 0);
    await expect(guest).to.be.accessible();
    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="reaction"]'])[0]!.click();
    // Drawn as an icon, named by the emoji the wire carries.
    await until('the reaction at the host', () => deep(tileOf(host, 'Grace') ?? host, ['[part~="reaction"]'])[0]?.getAttribute('aria-label') === '👍');
    expect(deep(tileOf(host, 'Grace')!, ['[part~="reaction"] svg'])).to.have.length(1);

    // Hand and chat reach the host page as events.
    deep<HTMLButtonElement>(guest, ['meeting-controls', '[part~="hand"]'])[0]!.click();
    await until('the hand event', () => hostEvents.some((e) => e.type === 'meeting-hand-raised'));
    expect(hostEvents.find((e) => e.type === 'meeting-hand-raised')?.detail).to.include({ name: 'Grace', raised: true });
    await guest.controller!.sendChat('Hi all');
    await until('the chat event at the host', () => hostEvents.some((e) => e.type === 'meeting-chat-message'));
    expect(hostEvents.find((e) => e.type === 'meeting-chat-message')?.detail).to.include({ text: 'Hi all', displayName: 'Grace', isLocal: false });
    await until('the chat event at the guest', () => guestEvents.some((e) => e.type === 'meeting-chat-message'));
    expect(guestEvents.find((e) => e.type === 'meeting-chat-message')?.detail.isLocal).to.equal(true);

    // Talking with the microphone muted: the room says so, and its button unmutes.
    host.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', ctrlKey: true, bubbles: true, composed: true }));
    await until('the host muted', () => host.controller?.state.local.microphone.enabled === false);
    await until('the muted hint (the fake microphone beeps)', () => deep(host, ['[part~="muted-hint"]']).length === 1, 20000);
    deep<HTMLButtonElement>(host, ['[part~="muted-hint"] button'])[0]!.click();
    await until('unmuted from the hint', () => host.controller?.state.local.microphone.enabled === true && deep(host, ['[part~="muted-hint"]']).length === 0);

    // Joins show as a passing notice too.
    expect(deep(host, ['[part~="toast"]']).some((t) => t.textContent.includes('Grace'))).to.equal(true);

    // Right to left: the control bar and the tile captions mirror.
    const mic = () => deep<HTMLElement>(host, ['meeting-controls', '[part~="microphone"]'])[0]!.getBoundingClientRect();
    const leave = () => deep<HTMLElement>(host, ['meeting-controls', '[part~="leave"]'])[0]!.getBoundingClientRect();
    expect(mic().left).to.be.below(leave().left);
    host.setAttribute('dir', 'rtl');
    await until('the bar mirrored', () => mic().left > leave().left);
    const hostTile = tiles(host)[0]!;
    await until('a caption', () => deep(hostTile, ['[part~="label"]']).length === 1);
    const caption = deep<HTMLElement>(hostTile, ['[part~="label"]'])[0]!.getBoundingClientRect();
    const frame = hostTile.getBoundingClientRect();
    expect(frame.right - caption.right).to.be.below(frame.width / 4, 'the caption sits at the right edge');
    host.removeAttribute('dir');

    // The camera button's menu lists the cameras, works from the keyboard, and switches camera.
    const chevron = () => deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="device-menu-camera"]'])[0]!;
    chevron().click();
    await until('the camera menu', () => deep(host, ['meeting-controls', '[part~="device"]']).length === host.controller?.state.local.devices.videoinput.length);
    const controls = deep<HTMLElement>(host, ['meeting-controls'])[0]!;
    await until('focus on the camera in use', () => controls.shadowRoot?.activeElement?.getAttribute('aria-checked') === 'true');
    controls.shadowRoot!.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await until('the menu closed, focus back on its button', () => deep(host, ['meeting-controls', '[part~="device-menu"]']).length === 0 && controls.shadowRoot?.activeElement === chevron());
    chevron().click();
    await until('the camera menu again', () => deep(host, ['meeting-controls', '[part~="device"]']).length > 0);
    await expect(controls).to.be.accessible();
    const choices = deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="device"]']);
    const wanted = host.controller!.state.local.devices.videoinput.at(-1)!.deviceId;
    choices.at(-1)!.click();
    await until('the camera chosen', () => host.controller?.state.local.selected.videoinput === wanted);

    // Settings from the bar: the user's own video is mirrored for them until they say otherwise.
    const ownVideo = () => deep<HTMLVideoElement>(tileOf(host, 'Hedy') ?? host, ['video'])[0];
    await until('the host video', () => ownVideo() !== undefined);
    expect(getComputedStyle(ownVideo()!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="settings"]'])[0]!.click();
    await until('the settings panel', () => deep(host, ['[part~="settings-panel"]', '[part~="mirror"]']).length === 1);
    await expect(host).to.be.accessible();
    deep<HTMLInputElement>(host, ['[part~="settings-panel"]', '[part~="mirror"]'])[0]!.click();
    await until('the video unmirrored', () => getComputedStyle(ownVideo()!).transform === 'none');
    expect(host.controller?.state.local.mirror).to.equal(false);
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="settings"]'])[0]!.click();
    await until('the settings panel closed', () => deep(host, ['[part~="settings-panel"]']).length === 0);

    // Page Down in the grid turns the page when everyone does not fit.
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="layout"]'])[0]!.click();
    await until('the host in speaker view', () => host.controller?.state.layout === 'speaker');
    await until('the switch to say so', () => pressed(deep(host, ['meeting-controls', '[part~="layout"]'])[0]) === 'true');
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="layout"]'])[0]!.click();
    await until('the host back in grid view', () => host.controller?.state.layout === 'grid');
    host.controller!.setPageSize(1);
    await until('two pages', () => host.controller?.state.pageCount === 2);
    const grid = deep<HTMLElement>(host, ['participant-grid'])[0]!;
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true, composed: true }));
    await until('the second page', () => host.controller?.state.page === 1);
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true, composed: true }));
    await until('the first page again', () => host.controller?.state.page === 0);

    // Recording is offered to the host only; this media server cannot record, and the host is told.
    expect(deep(guest, ['meeting-controls', '[part~="record"]'])).to.have.length(0);
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="record"]'])[0]!.click();
    await until('the refusal shown', () => deep(host, ['[part~="error"]']).length === 1);
    expect(host.controller?.state.lastError?.code).to.equal('MEDIA_SERVER_UNAVAILABLE');
    expect(host.controller?.state.recording).to.deep.equal({ active: false, pending: false });
    expect(pressed(deep(host, ['meeting-controls', '[part~="record"]'])[0])).to.equal('false');
    expect(deep(host, ['meeting-controls', '[part~="recording"]'])).to.have.length(0);
    deep<HTMLButtonElement>(host, ['[part~="error"] button'])[0]!.click();
    await until('the refusal closed', () => deep(host, ['[part~="error"]']).length === 0);

    // Ending for everyone asks first; cancelling changes nothing.
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="end"]'])[0]!.click();
    await until('the confirmation', () => deep(host, ['meeting-controls', '[part~="confirm"]']).length === 1);
    expect(deep(host, ['meeting-controls', '[part~="confirm"]'])[0]!.getAttribute('role')).to.equal('alertdialog');
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="confirm-cancel"]'])[0]!.click();
    await until('the confirmation gone', () => deep(host, ['meeting-controls', '[part~="confirm"]']).length === 0);
    expect(host.controller?.state.phase).to.equal('connected');
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="end"]'])[0]!.click();
    await until('the confirmation again', () => deep(host, ['meeting-controls', '[part~="confirm-end"]']).length === 1);
    deep<HTMLButtonElement>(host, ['meeting-controls', '[part~="confirm-end"]'])[0]!.click();
    await until('the guest to hear the meeting ended', () => guestEvents.some((e) => e.type === 'meeting-ended'));
    await until('the host out too', () => hostEvents.some((e) => e.type === 'meeting-ended' || e.type === 'meeting-left'));
    expect(guestEvents.filter((e) => e.type === 'meeting-joined')).to.have.length(1);
    // A whole meeting later, the widget has left nothing behind in the host page's storage.
    expect(document.cookie).to.equal('');
    expect([localStorage.length, sessionStorage.length]).to.deep.equal([0, 0]);
    host.remove();
    guest.remove();
  });

  it('reports a refused join as meeting-error with the server code', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Ada'));
    // Anonymous access is off: a guest who skips the lobby is refused, and the page hears why.
    const guest = await fixture<MeetingRoom>(html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} display-name="Lin" skip-lobby video="off"></meeting-room>`);
    const events = record(guest);
    await until('the error event', () => events.some((e) => e.type === 'meeting-error'));
    expect(events.find((e) => e.type === 'meeting-error')?.detail.code).to.equal('MEETING_NOT_ACTIVE');
    expect(events.some((e) => e.type === 'meeting-joined')).to.equal(false);
    guest.remove();
  });

  it('shows a guest the host turned away, and tells the page why', async () => {
    const hostApi = await signIn(stack, 'Rosa');
    const meetingId = await createMeeting(hostApi, { waitingRoom: true, allowAnonymous: true, joinBeforeHost: true });
    const guest = await fixture<MeetingRoom>(html`<meeting-room server=${stack.apiUrl} meeting-id=${meetingId} display-name="Tom" skip-lobby video="off"></meeting-room>`);
    const events = record(guest);
    await until('the waiting screen', () => guest.controller?.state.phase === 'waiting' && deep(guest, ['[part~="status"]']).length === 1);
    const [waiter] = await hostApi.listWaiting(meetingId);
    await hostApi.deny(meetingId, waiter!.waitingId);
    await until('the denied screen', () => guest.controller?.state.phase === 'denied');
    await guest.updateComplete;
    expect(deep(guest, ['[part~="status"]'])[0]!.textContent).to.contain('declined your request');
    expect(events.find((e) => e.type === 'meeting-error')?.detail.code).to.equal('ADMISSION_DENIED');
    await expect(guest).to.be.accessible();
    guest.remove();
  });

  it('warns and falls back for unknown audio, video and layout values', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const room = await fixture<MeetingRoom>(html`<meeting-room audio="maybe" video="loud" layout="mosaic"></meeting-room>`);
      expect([room.audio, room.video, room.layout]).to.deep.equal(['on', 'on', 'grid']);
      expect(warnings.filter((w) => w.includes('<meeting-room>'))).to.have.length(3);
    } finally {
      console.warn = original;
    }
  });
});
