// Screenshots of the main states at a phone size (375×812) and a desktop size (1280×800), compared
// with the baselines under test/screenshots/ (1 % of pixels may differ: anti-aliasing). Cameras and
// microphones are off so that nothing moves; the call itself is real (token server + media server).
// To accept an intended change: delete the baseline, run the suite once, and commit the new image.
import { fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, until } from '../support/room-driver.js';

const SIZES = [
  { name: 'phone', width: 375, height: 812, callHeight: 640 },
  { name: 'desktop', width: 1280, height: 800, callHeight: 700 },
] as const;

/** Waits for the room and everything inside it to have rendered, then for two frames to be painted. */
async function settled(room: MeetingRoom): Promise<void> {
  const elements: Element[] = [room, ...deep(room, ['*'])];
  await Promise.all(elements.map((el) => (el instanceof LitElement ? el.updateComplete : Promise.resolve(true))));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

describe('screenshots', function () {
  this.timeout(60000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
    // Device names are only listed once the page has been granted the devices: grant them first,
    // whatever ran before in this browser, so the lobby always looks the same.
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of media.getTracks()) track.stop();
  });
  after(async () => {
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

  for (const size of SIZES) {
    it(`lobby, waiting room, call and end at ${size.name} size`, async () => {
      await setViewport({ width: size.width, height: size.height });
      document.body.style.margin = '0';
      const style = `--meeting-call-height: ${String(size.callHeight)}px; display: block; width: ${String(size.width)}px`;

      // The lobby, light theme, nothing started.
      const lobby = await fixture<MeetingRoom>(html`<meeting-room theme="light" meeting-id="design-review" display-name="Ada" audio="off" video="off" server="http://127.0.0.1:9" style=${style}></meeting-room>`);
      await until('the lobby', () => lobby.controller?.state.phase === 'lobby' && deep(lobby, ['meeting-lobby']).length === 1);
      await until('the devices looked at', () => lobby.controller !== undefined && !lobby.controller.state.local.microphone.pending && !lobby.controller.state.local.camera.pending);
      await settled(lobby);
      await visualDiff(lobby, `lobby-${size.name}`);
      lobby.remove();

      // A host in the call; a guest waiting, then admitted; then the host ends the meeting.
      const hostApi = await signIn(stack, 'Hedy');
      const meetingId = await createMeeting(hostApi, { waitingRoom: true, allowAnonymous: true });
      const token = await devToken(stack, 'Hedy');
      const host = await fixture<MeetingRoom>(html`<meeting-room theme="dark" .auth=${() => Promise.resolve(token)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Hedy" skip-lobby audio="off" video="off" style=${style}></meeting-room>`);
      await until('the host in the call', () => deep(host, ['participant-grid', 'participant-tile']).length === 1);
      const guest = await fixture<MeetingRoom>(html`<meeting-room theme="light" server=${stack.apiUrl} meeting-id=${meetingId} display-name="Grace" skip-lobby audio="off" video="off" style=${style}></meeting-room>`);
      await until('the guest waiting', () => guest.controller?.state.phase === 'waiting');
      await settled(guest);
      await visualDiff(guest, `waiting-${size.name}`);

      const [waiter] = await hostApi.listWaiting(meetingId);
      await hostApi.admit(meetingId, waiter!.waitingId);
      await until('two tiles at the host', () => deep(host, ['participant-grid', 'participant-tile']).length === 2 && host.controller?.state.waiting.length === 0);
      await until('names on both tiles', () => deep(host, ['participant-grid', 'participant-tile', '[part~="label"]']).length === 2);
      await settled(host);
      await visualDiff(host, `call-${size.name}`);

      await host.controller!.end();
      await until('the guest told', () => guest.controller?.state.phase === 'ended');
      await settled(guest);
      await visualDiff(guest, `ended-${size.name}`);
      host.remove();
      guest.remove();
    });
  }
});
