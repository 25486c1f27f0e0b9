// Screenshots of the polls panel in a real call (token server + media server), desktop (docked)
// and phone (a sheet), light and dark: an open poll the host voted in, and a closed one kept with
// its result. Compared with the baselines under test/screenshots/ like screenshots.test.ts.
// The four people join and vote once and every variant is taken from that one room
// (test/support/screenshot-room.ts).
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-polls-screenshots.test.ts npm run test:browser
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, devToken, until } from '../support/room-driver.js';
import { mountRoom, settled, showVariant, SIZES, THEMES } from '../support/screenshot-room.js';

describe('screenshots: polls', function () {
  this.timeout(120000);
  let stack: Stack;
  let box: HTMLElement | undefined;
  let room: MeetingRoom;
  const others: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
    const hostApi = await signIn(stack, 'Hedy');
    const meetingId = await createMeeting(hostApi);
    ({ box, room } = await mountRoom(stack.apiUrl, meetingId, await devToken(stack, 'Hedy')));
    // Three others vote through their own controllers; they are not on screen.
    // One after another: the grid shows people in the order they came, and the picture must not
    // depend on which parallel join won.
    for (const name of ['Grace', 'Linus', 'Ada']) {
      const c = new MeetingController({ api: await signIn(stack, name), meetingId });
      others.push(c);
      await c.join({ displayName: name });
      await until(`the host seeing ${name}`, () => room.controller?.state.participants.some((p) => p.name === name) === true);
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
  });
  after(async () => {
    box?.remove();
    await Promise.all(others.splice(0).map((c) => c.dispose()));
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

  for (const size of SIZES) {
    for (const theme of THEMES) {
      it(`the polls panel: ${size.name}, ${theme}`, async () => {
        await showVariant(box!, room, size, theme, { part: 'polls', tag: 'meeting-polls' });
        await until('the polls panel with both polls', () => deep(room, ['meeting-polls', '[part~="poll"]']).length === 2);
        await until('no notices', () => deep(room, ['[part~="toast"]']).length === 0, 10000);
        await settled(room);
        // The bars' width transitions end before the picture.
        await until('the bars still', () => deep(room, ['meeting-polls', '[part~="bar-fill"]']).every((fill) => fill.getAnimations().length === 0));
        await visualDiff(box!, `polls-${size.name}-${theme}`);
      });
    }
  }
});
