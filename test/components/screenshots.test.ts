// Screenshots of the main states, desktop (a 1280×720 box on the page) and phone (390×844), light
// and dark, compared with the baselines under test/screenshots/ (1 % of pixels may differ:
// anti-aliasing). Cameras and microphones are off so that nothing moves. Lobby, waiting room, the
// call of two, chat, the people panel with someone waiting and the end are a real call (token
// server + media server); nine people and a screen share are the synthetic room.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/screenshots.test.ts npm run test:browser
import { fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { MeetingClock } from '../../src/internal/elapsed-clock.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, until } from '../support/room-driver.js';
import { raiseHand, shareScreen, syntheticCall } from './synthetic-call.js';

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, box: { width: 1280, height: 720 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, box: { width: 390, height: 844 } },
] as const;
const THEMES = ['light', 'dark'] as const;

/** Waits for the room and everything inside it to have rendered, then for two frames to be painted. */
async function settled(room: Element): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const elements: Element[] = [room, ...deep(room, ['*']), ...deep(room, ['*', '*']), ...deep(room, ['*', '*', '*'])];
    await Promise.all(elements.map((el) => (el instanceof LitElement ? el.updateComplete : Promise.resolve(true))));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}

/** A box of the page's size holding one room: what a host page gives the widget. */
async function boxed(size: (typeof SIZES)[number], room: ReturnType<typeof html>): Promise<{ box: HTMLElement; room: MeetingRoom }> {
  const box = await fixture<HTMLElement>(html`<div style=${`width:${String(size.box.width)}px;height:${String(size.box.height)}px`}>${room}</div>`);
  return { box, room: box.querySelector('meeting-room')! };
}

/** A clock that stands at 12:34 into the meeting of `room` and never ticks: the running time is in the pictures, the same on every run. */
function stillClock(room: () => MeetingRoom | undefined): MeetingClock {
  return {
    now: () => {
      const started = room()?.controller?.state.meeting?.startedAt;
      return (started ? Date.parse(started) : 0) + (12 * 60 + 34) * 1000;
    },
    every: () => () => undefined,
  };
}

const controllers: MeetingController[] = [];

describe('screenshots', function () {
  this.timeout(120000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
    // Device names are only listed once the page has been granted the devices: grant them first,
    // whatever ran before in this browser, so the lobby always looks the same.
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of media.getTracks()) track.stop();
    document.body.style.margin = '0';
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

  for (const size of SIZES) {
    for (const theme of THEMES) {
      const shot = (name: string) => `${name}-${size.name}-${theme}`;

      it(`lobby, waiting room, call, chat, people and end: ${size.name}, ${theme}`, async () => {
        await setViewport(size.viewport);

        // The lobby, nothing started.
        const lobby = await boxed(size, html`<meeting-room theme=${theme} meeting-id="design-review" display-name="Ada Lovelace" audio="off" video="off" server="http://127.0.0.1:9" style="height:100%"></meeting-room>`);
        await until('the lobby', () => lobby.room.controller?.state.phase === 'lobby' && deep(lobby.room, ['meeting-lobby']).length === 1);
        // With both devices off nothing is pending from the start: wait for the device lists themselves.
        await until('the devices listed', () => {
          const local = lobby.room.controller?.state.local;
          return local !== undefined && !local.microphone.pending && !local.camera.pending && local.devices.audioinput.length > 0 && local.devices.videoinput.length > 0;
        });
        await settled(lobby.room);
        await visualDiff(lobby.box, shot('lobby'));
        lobby.box.remove();

        // A host in the call; a guest waiting, then admitted; chat; a second guest waiting; the end.
        const hostApi = await signIn(stack, 'Hedy');
        const meetingId = await createMeeting(hostApi, { waitingRoom: true, allowAnonymous: true });
        const token = await devToken(stack, 'Hedy');
        const hostRef: { room?: MeetingRoom } = {};
        const host = await boxed(size, html`<meeting-room theme=${theme} .clock=${stillClock(() => hostRef.room)} .auth=${() => Promise.resolve(token)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Hedy Lamarr" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>`);
        hostRef.room = host.room;
        await until('the host in the call', () => deep(host.room, ['participant-grid', 'participant-tile']).length === 1);
        // Signed in, so their identities (and the colours of their initials) are the same on every run.
        const guestToken = await devToken(stack, 'Grace');
        const lateToken = await devToken(stack, 'Linus');
        const guest = await boxed(size, html`<meeting-room theme=${theme} .auth=${() => Promise.resolve(guestToken)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Grace Hopper" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>`);
        await until('the guest waiting', () => guest.room.controller?.state.phase === 'waiting');
        await settled(guest.room);
        await visualDiff(guest.box, shot('waiting'));
        // Only one widget on screen at a time, as on a real page.
        guest.box.hidden = true;

        const [waiter] = await hostApi.listWaiting(meetingId);
        await hostApi.admit(meetingId, waiter!.waitingId);
        await until('two tiles at the host', () => deep(host.room, ['participant-grid', 'participant-tile']).length === 2 && host.room.controller?.state.waiting.length === 0);
        await until('names on both tiles', () => deep(host.room, ['participant-grid', 'participant-tile', '[part~="label"]']).length === 2);
        await until('the running time', () => deep(host.room, ['[part~="elapsed"]'])[0]?.textContent === '12:34');
        // The join notice passes; the picture is of the call itself.
        await until('no notices', () => deep(host.room, ['[part~="toast"]']).length === 0, 10000);
        await settled(host.room);
        await visualDiff(host.box, shot('call-2'));

        await guest.room.controller!.sendChat('Morning! Can everyone see the agenda?');
        await host.room.controller!.sendChat('Yes, starting in a minute.');
        await until('two messages at the host', () => host.room.controller?.state.chat.messages.length === 2);
        host.room.controller!.setChatOpen(true);
        await until('the chat panel', () => deep(host.room, ['meeting-chat', '[part~="message"]']).length === 2);
        // Message times differ from run to run: the picture keeps the layout, not the clock.
        for (const time of deep<HTMLElement>(host.room, ['meeting-chat', 'time'])) time.textContent = '10:02';
        await settled(host.room);
        await visualDiff(host.box, shot('chat'));
        host.room.controller!.setChatOpen(false);

        const late = await boxed(size, html`<meeting-room theme=${theme} .auth=${() => Promise.resolve(lateToken)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Linus Pauling" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>`);
        late.box.hidden = true;
        await until('someone waiting at the host', () => host.room.controller?.state.waiting.length === 1);
        deep<HTMLButtonElement>(host.room, ['meeting-controls', '[part~="people"]'])[0]!.click();
        await until('the people panel with the waiting list', () => deep(host.room, ['meeting-participants', '[part~="waiting"] li']).length === 1);
        await settled(host.room);
        await visualDiff(host.box, shot('people-waiting'));

        await host.room.controller!.end();
        await until('the guest told', () => guest.room.controller?.state.phase === 'ended');
        host.box.remove();
        guest.box.hidden = false;
        await settled(guest.room);
        await visualDiff(guest.box, shot('ended'));
        guest.box.remove();
        late.box.remove();
      });

      it(`nine people, then a screen share in speaker view: ${size.name}, ${theme}`, async () => {
        await setViewport(size.viewport);
        const call = await syntheticCall(9);
        controllers.push(call.controller);
        const { box, room } = await boxed(size, html`<meeting-room theme=${theme} style="height:100%"></meeting-room>`);
        room.controller = call.controller;
        await until('nine tiles', () => deep(room, ['participant-grid', 'participant-tile']).length === Math.min(9, call.controller.state.pageSize));
        raiseHand(call, 'p1', 1000);
        raiseHand(call, 'p3', 2000);
        call.room.speak(['p2']);
        await until('the hands', () => deep(room, ['participant-grid', 'participant-tile', '[part~="hand"]']).length === 2);
        await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
        await settled(room);
        await visualDiff(box, shot('call-9'));

        shareScreen(call, 'p1');
        call.controller.setLayout('speaker');
        await until('the shared screen on the stage', () => deep<HTMLVideoElement>(room, ['participant-grid', '[part~="stage"] participant-tile', 'video'])[0]?.readyState === 4);
        await settled(room);
        await visualDiff(box, shot('screen-share'));
        box.remove();
      });
    }
  }
});
