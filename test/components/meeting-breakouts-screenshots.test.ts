// Screenshots of the breakout rooms panel in a real call (token server + media server), desktop
// (docked) and phone (a sheet), light and dark: the host's plan (three people, two rooms, a timer)
// and the open rooms with how many are in each. Compared with the baselines under test/screenshots/
// like screenshots.test.ts.
// The four people join once and every variant is taken from that one room: joining them for each
// variant cost most of this file's time. What a variant changes (the viewport, the theme, the panel
// and the plan in it) is set again by the next one, so no picture depends on the one before it.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-breakouts-screenshots.test.ts npm run test:browser
import { html, LitElement, render } from 'lit';
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
const THEMES = ['light', 'dark'] as const;
type Size = (typeof SIZES)[number];
type Theme = (typeof THEMES)[number];

/** Every element's update done and no transition or finite animation still running (a theme change eases colours). */
async function settled(room: Element): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const elements: Element[] = [room, ...deep(room, ['*']), ...deep(room, ['*', '*'])];
    await Promise.all(elements.map((el) => (el instanceof LitElement ? el.updateComplete : Promise.resolve(true))));
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}

describe('screenshots: breakout rooms', function () {
  this.timeout(150000);
  let stack: Stack;
  let box: HTMLElement;
  let room: MeetingRoom;
  let host: MeetingController;
  const others: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
    document.body.style.margin = '0';
    await setViewport(SIZES[0].viewport);
    const hostApi = await signIn(stack, 'Hedy');
    const meetingId = await createMeeting(hostApi);
    const token = await devToken(stack, 'Hedy');
    // Not a fixture(): @open-wc/testing removes those after each test, and this room outlives its tests.
    box = document.createElement('div');
    box.setAttribute('style', boxStyle(SIZES[0]));
    document.body.append(box);
    render(html`<meeting-room theme="light" .auth=${() => Promise.resolve(token)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Hedy Lamarr" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>`, box);
    room = box.querySelector<MeetingRoom>('meeting-room')!;
    await until('the host in the call', () => deep(room, ['participant-grid', 'participant-tile']).length === 1);
    // Three others join through their own controllers, one after the other (the list's order).
    for (const [user, name] of [
      ['Grace', 'Grace Hopper'],
      ['Linus', 'Linus Torvalds'],
      ['Ada', 'Ada Lovelace'],
    ] as const) {
      const c = new MeetingController({ api: await signIn(stack, user), meetingId });
      others.push(c);
      await c.join({ displayName: name });
    }
    host = room.controller!;
    await stateWhere(host, (s) => s.participants.length === 4, 'all four at the host');
  });
  after(async () => {
    box.remove();
    await Promise.all(others.splice(0).map((c) => c.dispose()));
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

  function boxStyle(size: Size): string {
    return `width:${String(size.box.width)}px;height:${String(size.box.height)}px`;
  }

  /** The viewport, the box and the theme of this variant, and the breakouts panel open in it. */
  async function showVariant(size: Size, theme: Theme): Promise<void> {
    await setViewport(size.viewport);
    box.setAttribute('style', boxStyle(size));
    room.setAttribute('theme', theme);
    await room.updateComplete;
    if (deep(room, ['meeting-breakouts']).length === 1) return;
    await until('the control bar', () => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1);
    const button = deep<HTMLButtonElement>(room, ['meeting-controls', 'button[part~="breakouts"]:not([part~="menu-item"])'])[0];
    if (button) button.click();
    else {
      deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!.click();
      await until('the More menu', () => deep(room, ['meeting-controls', '[part~="breakouts"][part~="menu-item"]']).length === 1);
      deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="breakouts"][part~="menu-item"]'])[0]!.click();
    }
    await until('the breakouts panel', () => deep(room, ['meeting-breakouts']).length === 1);
  }

  /** Grace and Ada in Room 1, Linus in Room 2, closing on a timer: set each time, whatever the panel kept. */
  async function makePlan(): Promise<void> {
    await until('the plan with three people', () => deep(room, ['meeting-breakouts', 'select[part~="room-select"]']).length === 3);
    const selects = deep<HTMLSelectElement>(room, ['meeting-breakouts', 'select[part~="room-select"]']);
    for (const [i, select] of selects.entries()) {
      select.value = String(i % 2);
      select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    const timer = deep<HTMLInputElement>(room, ['meeting-breakouts', 'input[part~="timer"]'])[0]!;
    if (!timer.checked) timer.click();
  }

  async function snapshot(name: string): Promise<void> {
    await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
    await settled(room);
    await visualDiff(box, name);
  }

  describe('the plan', () => {
    for (const size of SIZES) {
      for (const theme of THEMES) {
        it(`the breakouts panel, the plan: ${size.name}, ${theme}`, async () => {
          await showVariant(size, theme);
          await makePlan();
          await snapshot(`breakouts-plan-${size.name}-${theme}`);
        });
      }
    }
  });

  describe('the open rooms', () => {
    before(async () => {
      // Opened from the desktop's docked panel, as a host would; everyone waited for where the plan sends them.
      await showVariant(SIZES[0], 'light');
      await makePlan();
      deep<HTMLButtonElement>(room, ['meeting-breakouts', 'button[part~="open"]'])[0]!.click();
      for (const c of others) await stateWhere(c, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'each in their room', 30000);
      await until('the counts at the host', () => deep(room, ['meeting-breakouts', '[part~="room-people"]']).map((el) => el.textContent).join('|').startsWith('2 in the room · 2 assigned|1 in the room'), 30000);
    });

    for (const size of SIZES) {
      for (const theme of THEMES) {
        it(`the breakouts panel, the open rooms: ${size.name}, ${theme}`, async () => {
          await showVariant(size, theme);
          await until('the counts at the host', () => deep(room, ['meeting-breakouts', '[part~="room-people"]']).map((el) => el.textContent).join('|').startsWith('2 in the room · 2 assigned|1 in the room'), 30000);
          // The time the rooms close at changes from run to run: hidden from the picture.
          for (const el of deep<HTMLElement>(room, ['meeting-breakouts', '[part~="closes-at"]'])) el.style.visibility = 'hidden';
          await snapshot(`breakouts-open-${size.name}-${theme}`);
        });
      }
    }
  });
});
