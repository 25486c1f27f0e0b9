// Screenshots of <meeting-card> as a chat shows it, desktop and phone width, light and dark: a
// scheduled meeting, a live one with seven people (five faces and "+2"), an ended one, and one the
// page may not see. Compared with the baselines under test/screenshots/ like screenshots.test.ts.
// The elapsed time of the live card changes every second, so it is hidden through its part.
// To accept an intended change: UPDATE_SCREENSHOTS=1 WTR_FILES=test/components/meeting-card-screenshots.test.ts npm run test:browser
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import '../../src/components/meeting-card/meeting-card.js';
import type { MeetingCardElement } from '../../src/components/meeting-card/meeting-card.component.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { devToken, until } from '../support/room-driver.js';

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, width: 640 },
  { name: 'phone', viewport: { width: 390, height: 844 }, width: 390 },
] as const;

const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds', 'Margaret Hamilton', 'Alan Turing', 'Barbara Liskov', 'Edsger Dijkstra'];

describe('screenshots: meeting cards', function () {
  this.timeout(120000);
  let stack: Stack;
  let meetings: { scheduled: string; live: string; ended: string; hidden: string };
  let token: string;

  before(async () => {
    stack = await startStack();
    document.body.style.margin = '0';
    const hostApi = await signIn(stack, 'Hedy');
    token = await devToken(stack, 'Hedy');
    const scheduled = (await hostApi.createMeeting({ title: 'Design review' })).id;
    const live = (await hostApi.createMeeting({ title: 'Weekly planning, all hands', policy: { joinBeforeHost: true } })).id;
    const ended = (await hostApi.createMeeting({ title: 'Retrospective' })).id;
    // Seven people take a seat (the server's join), in order, so the first five are known.
    for (const name of PEOPLE) await (await signIn(stack, name.split(' ')[0]!)).join(live, { displayName: name });
    await hostApi.join(ended, { displayName: 'Hedy' });
    await hostApi.endMeeting(ended);
    // A private meeting of someone else: this page's user may not see it.
    const hidden = await createMeeting(await signIn(stack, 'Other'), { waitingRoom: true });
    meetings = { scheduled, live, ended, hidden };
  });
  after(async () => {
    await stopStack();
    await setViewport({ width: 800, height: 600 });
  });

  for (const size of SIZES) {
    for (const theme of ['light', 'dark'] as const) {
      it(`cards in a chat: ${size.name}, ${theme}`, async () => {
        await setViewport(size.viewport);
        const auth = () => Promise.resolve(token);
        const box = await fixture<HTMLElement>(html`<div class=${`chat ${theme}`} style=${`width:${String(size.width)}px`}>
          <style>
            .chat { display: grid; gap: 12px; padding: 16px; box-sizing: border-box; font-family: sans-serif; }
            .chat.light { background: #f6f7f9; color: #1b1d21; }
            .chat.dark { background: #121316; color: #e8eaed; }
            .chat meeting-card::part(elapsed) { visibility: hidden; }
          </style>
          <meeting-card theme=${theme} server=${stack.apiUrl} meeting-id=${meetings.scheduled} .auth=${auth}></meeting-card>
          <meeting-card theme=${theme} server=${stack.apiUrl} meeting-id=${meetings.live} .auth=${auth}></meeting-card>
          <meeting-card theme=${theme} server=${stack.apiUrl} meeting-id=${meetings.ended} .auth=${auth}></meeting-card>
          <meeting-card theme=${theme} server=${stack.apiUrl} meeting-id=${meetings.hidden} .auth=${auth}></meeting-card>
        </div>`);
        const cards = [...box.querySelectorAll<MeetingCardElement>('meeting-card')];
        await until('every card', () => cards.every((c) => c.shadowRoot?.querySelector('[part~="base"]:not([aria-busy])')), 15000);
        await until('the live card with seven', () => cards[1]?.card?.participantCount === 7, 15000);
        await Promise.all(cards.map((c) => c.updateComplete));
        expect(cards[1]?.shadowRoot?.querySelector('[part~="more"]')?.textContent).to.equal('+2');
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        await visualDiff(box, `cards-${size.name}-${theme}`);
      });
    }
  }
});
