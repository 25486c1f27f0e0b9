// Screenshots of the breakout rooms panel in a real call (token server + media server), desktop
// (docked) and phone (a sheet), light and dark: the host's plan (three people, two rooms, a timer)
// and the open rooms with how many are in each. Compared with the baselines under test/screenshots/
// like screenshots.test.ts.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-breakouts-screenshots.test.ts npm run test:browser
import { fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, until } from '../support/room-driver.js';

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, box: { width: 1280, height: 720 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, box: { width: 390, height: 844 } },
] as const;

async function settled(room: Element): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const elements: Element[] = [room, ...deep(room, ['*']), ...deep(room, ['*', '*'])];
    await Promise.all(elements.map((el) => (el instanceof LitElement ? el.updateComplete : Promise.resolve(true))));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}

describe('screenshots: breakout rooms', function () {
  this.timeout(150000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
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
    for (const theme of ['light', 'dark'] as const) {
      it(`the breakouts panel: ${size.name}, ${theme}`, async () => {
        await setViewport(size.viewport);
        const hostApi = await signIn(stack, 'Hedy');
        const meetingId = await createMeeting(hostApi);
        const token = await devToken(stack, 'Hedy');
        const box = await fixture<HTMLElement>(html`<div style=${`width:${String(size.box.width)}px;height:${String(size.box.height)}px`}>
          <meeting-room theme=${theme} .auth=${() => Promise.resolve(token)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Hedy Lamarr" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>
        </div>`);
        const room = box.querySelector<MeetingRoom>('meeting-room')!;
        await until('the host in the call', () => deep(room, ['participant-grid', 'participant-tile']).length === 1);
        // Three others join through their own controllers, one after the other (the list's order).
        const others: MeetingController[] = [];
        for (const [user, name] of [
          ['Grace', 'Grace Hopper'],
          ['Linus', 'Linus Torvalds'],
          ['Ada', 'Ada Lovelace'],
        ] as const) {
          const c = new MeetingController({ api: await signIn(stack, user), meetingId });
          controllers.push(c);
          await c.join({ displayName: name });
          others.push(c);
        }
        const host = room.controller!;
        await stateWhere(host, (s) => s.participants.length === 4, 'all four at the host');
        await until('the control bar', () => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1);
        const button = deep<HTMLButtonElement>(room, ['meeting-controls', 'button[part~="breakouts"]:not([part~="menu-item"])'])[0];
        if (button) button.click();
        else {
          deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!.click();
          await until('the More menu', () => deep(room, ['meeting-controls', '[part~="breakouts"][part~="menu-item"]']).length === 1);
          deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="breakouts"][part~="menu-item"]'])[0]!.click();
        }
        await until('the plan with three people', () => deep(room, ['meeting-breakouts', 'select[part~="room-select"]']).length === 3);
        const selects = deep<HTMLSelectElement>(room, ['meeting-breakouts', 'select[part~="room-select"]']);
        for (const [i, select] of selects.entries()) {
          select.value = String(i % 2);
          select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        }
        deep<HTMLInputElement>(room, ['meeting-breakouts', 'input[part~="timer"]'])[0]!.click();
        await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
        await settled(room);
        await visualDiff(box, `breakouts-plan-${size.name}-${theme}`);

        // Open, and wait for everyone to be where the plan sends them.
        deep<HTMLButtonElement>(room, ['meeting-breakouts', 'button[part~="open"]'])[0]!.click();
        for (const c of others) await stateWhere(c, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'each in their room', 30000);
        await until('the counts at the host', () => deep(room, ['meeting-breakouts', '[part~="room-people"]']).map((el) => el.textContent).join('|').startsWith('2 in the room · 2 assigned|1 in the room'), 30000);
        // The time the rooms close at changes from run to run: hidden from the picture.
        for (const el of deep<HTMLElement>(room, ['meeting-breakouts', '[part~="closes-at"]'])) el.style.visibility = 'hidden';
        await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
        await settled(room);
        await visualDiff(box, `breakouts-open-${size.name}-${theme}`);
        box.remove();
      });
    }
  }
});
