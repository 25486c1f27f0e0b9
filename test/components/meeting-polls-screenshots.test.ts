// Screenshots of the polls panel in a real call (token server + media server), desktop (docked)
// and phone (a sheet), light and dark: an open poll the host voted in, and a closed one kept with
// its result. Compared with the baselines under test/screenshots/ like screenshots.test.ts.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-polls-screenshots.test.ts npm run test:browser
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

describe('screenshots: polls', function () {
  this.timeout(120000);
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
      it(`the polls panel: ${size.name}, ${theme}`, async () => {
        await setViewport(size.viewport);
        const hostApi = await signIn(stack, 'Hedy');
        const meetingId = await createMeeting(hostApi);
        const token = await devToken(stack, 'Hedy');
        const box = await fixture<HTMLElement>(html`<div style=${`width:${String(size.box.width)}px;height:${String(size.box.height)}px`}>
          <meeting-room theme=${theme} .auth=${() => Promise.resolve(token)} server=${stack.apiUrl} meeting-id=${meetingId} display-name="Hedy Lamarr" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>
        </div>`);
        const room = box.querySelector<MeetingRoom>('meeting-room')!;
        await until('the host in the call', () => deep(room, ['participant-grid', 'participant-tile']).length === 1);
        // Three others vote through their own controllers; they are not on screen.
        // One after another: the grid shows people in the order they came, and the picture must not
        // depend on which parallel join won.
        const others: MeetingController[] = [];
        for (const name of ['Grace', 'Linus', 'Ada']) {
          const c = new MeetingController({ api: await signIn(stack, name), meetingId });
          controllers.push(c);
          await c.join({ displayName: name });
          await until(`the host seeing ${name}`, () => room.controller?.state.participants.some((p) => p.name === name) === true);
          others.push(c);
        }
        const host = room.controller!;
        await host.createPoll({ question: 'Ship the release on Friday?', options: ['Yes', 'No', 'Next week'] });
        await host.createPoll({ question: 'Which topics for the retro?', options: ['Testing', 'Deploys', 'On-call'], multiple: true, anonymous: true });
        const [closed, open] = host.state.polls;
        for (const [i, c] of others.entries()) {
          await stateWhere(c, (s) => s.polls.length === 2, 'both polls');
          await c.vote(closed!.id, [i === 2 ? 2 : 0]);
          await c.vote(open!.id, i === 0 ? [0, 1] : [i]);
        }
        await host.vote(open!.id, [1]);
        await host.closePoll(closed!.id);
        await until('the final counts at the host', () => host.state.polls[1]?.voterCount === 4 && host.state.polls[0]?.status === 'closed');
        await until('the control bar', () => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1);
        const button = deep<HTMLButtonElement>(room, ['meeting-controls', 'button[part~="polls"]:not([part~="menu-item"])'])[0];
        if (button) button.click();
        else {
          deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!.click();
          await until('the More menu', () => deep(room, ['meeting-controls', '[part~="polls"][part~="menu-item"]']).length === 1);
          deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="polls"][part~="menu-item"]'])[0]!.click();
        }
        await until('the polls panel with both polls', () => deep(room, ['meeting-polls', '[part~="poll"]']).length === 2);
        await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
        await settled(room);
        // The bars' width transitions end before the picture.
        await until('the bars still', () => deep(room, ['meeting-polls', '[part~="bar-fill"]']).every((fill) => fill.getAnimations().length === 0));
        await visualDiff(box, `polls-${size.name}-${theme}`);
        box.remove();
      });
    }
  }
});
