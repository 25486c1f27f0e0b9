// Screenshots of the breakout rooms panel in a real call (token server + media server), desktop
// (docked) and phone (a sheet), light and dark: the host's plan (three people, two rooms, a timer)
// and the open rooms with how many are in each. Compared with the baselines under test/screenshots/
// like screenshots.test.ts.
// The four people join once and every variant is taken from that one room (test/support/screenshot-room.ts);
// each variant sets the plan again, whatever the panel kept.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-breakouts-screenshots.test.ts npm run test:browser
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, until } from '../support/room-driver.js';
import { mountRoom, settled, showVariant, SIZES, THEMES } from '../support/screenshot-room.js';

const PANEL = { part: 'breakouts', tag: 'meeting-breakouts' };

describe('screenshots: breakout rooms', function () {
  this.timeout(150000);
  let stack: Stack;
  let box: HTMLElement | undefined;
  let room: MeetingRoom;
  let host: MeetingController;
  const others: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
    const hostApi = await signIn(stack, 'Hedy');
    const meetingId = await createMeeting(hostApi);
    ({ box, room } = await mountRoom(stack.apiUrl, meetingId, await devToken(stack, 'Hedy')));
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
    box?.remove();
    await Promise.all(others.splice(0).map((c) => c.dispose()));
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

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
    await visualDiff(box!, name);
  }

  describe('the plan', () => {
    for (const size of SIZES) {
      for (const theme of THEMES) {
        it(`the breakouts panel, the plan: ${size.name}, ${theme}`, async () => {
          await showVariant(box!, room, size, theme, PANEL);
          await makePlan();
          await snapshot(`breakouts-plan-${size.name}-${theme}`);
        });
      }
    }
  });

  describe('the open rooms', () => {
    before(async () => {
      // Opened from the desktop's docked panel, as a host would; everyone waited for where the plan sends them.
      await showVariant(box!, room, SIZES[0], 'light', PANEL);
      await makePlan();
      deep<HTMLButtonElement>(room, ['meeting-breakouts', 'button[part~="open"]'])[0]!.click();
      for (const c of others) await stateWhere(c, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'each in their room', 30000);
      await until('the counts at the host', () => deep(room, ['meeting-breakouts', '[part~="room-people"]']).map((el) => el.textContent).join('|').startsWith('2 in the room · 2 assigned|1 in the room'), 30000);
    });

    for (const size of SIZES) {
      for (const theme of THEMES) {
        it(`the breakouts panel, the open rooms: ${size.name}, ${theme}`, async () => {
          await showVariant(box!, room, size, theme, PANEL);
          await until('the counts at the host', () => deep(room, ['meeting-breakouts', '[part~="room-people"]']).map((el) => el.textContent).join('|').startsWith('2 in the room · 2 assigned|1 in the room'), 30000);
          // The time the rooms close at changes from run to run: hidden from the picture.
          for (const el of deep<HTMLElement>(room, ['meeting-breakouts', '[part~="closes-at"]'])) el.style.visibility = 'hidden';
          await snapshot(`breakouts-open-${size.name}-${theme}`);
        });
      }
    }
  });
});
