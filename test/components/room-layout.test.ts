// <meeting-room>'s call, measured: the boxes the tiles and the control bar really get at desktop and
// phone sizes, with a panel open, with the page's grid gap; no inline styles (strict CSP); a grid
// whose DOM does not grow as speakers swap; the theme reaching every element by inheritance; the
// More and leave menus from the keyboard. Over the synthetic room (see synthetic-call.ts).
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/index.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { ParticipantGrid } from '../../src/components/participant-grid/participant-grid.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import type { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { deep, until } from '../support/room-driver.js';
import { syntheticCall, type SyntheticCall } from './synthetic-call.js';

const controllers: MeetingController[] = [];

async function roomIn(width: number, height: number, people: number, attributes = ''): Promise<{ room: MeetingRoom; call: SyntheticCall; box: HTMLElement }> {
  await setViewport({ width, height });
  const call = await syntheticCall(people);
  controllers.push(call.controller);
  const box = await fixture<HTMLElement>(html`<div style=${`width:${String(width)}px;height:${String(height)}px`}></div>`);
  box.innerHTML = `<meeting-room ${attributes}></meeting-room>`;
  const room = box.querySelector('meeting-room')!;
  room.controller = call.controller;
  await until('the tiles', () => tiles(room).length === Math.min(people, call.controller.state.pageSize) && tiles(room).every((t) => t.getBoundingClientRect().width > 0));
  await until('the bar laid out', () => barButtons(room).length > 0 && deep(room, ['meeting-controls'])[0]!.getBoundingClientRect().width > 0);
  await settle();
  return { room, call, box };
}

const tiles = (room: MeetingRoom) => deep<ParticipantTile>(room, ['participant-grid', 'participant-tile']);
/** Every button of the control bar row (menus closed). */
const barButtons = (room: MeetingRoom) => deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="base"] button']).filter((b) => b.closest('[role="menu"]') === null && b.closest('[part~="reactions"]') === null);
const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** The share of the box covered by tiles (they do not overlap). */
function coverage(room: MeetingRoom, box: HTMLElement): number {
  const area = tiles(room).reduce((sum, t) => sum + t.getBoundingClientRect().width * t.getBoundingClientRect().height, 0);
  const b = box.getBoundingClientRect();
  return area / (b.width * b.height);
}

function expectOneRowOfNamedIcons(room: MeetingRoom): void {
  const buttons = barButtons(room);
  const tops = new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top + b.getBoundingClientRect().height / 2)));
  expect(tops.size, 'every bar button on one line').to.equal(1);
  for (const button of buttons) {
    expect(button.querySelector('svg'), `${button.getAttribute('part') ?? '?'} has an icon`).to.not.equal(null);
    expect(button.getAttribute('aria-label') ?? '', `${button.getAttribute('part') ?? '?'} has a name`).to.not.equal('');
  }
  const bar = deep(room, ['meeting-controls', '[part~="base"]'])[0]!;
  expect(bar.scrollWidth, 'the bar does not overflow').to.be.at.most(bar.clientWidth + 1);
}

function expectNothingScrolls(room: MeetingRoom, box: HTMLElement): void {
  const page = document.scrollingElement!;
  expect(page.scrollHeight, 'the page does not scroll').to.be.at.most(page.clientHeight);
  expect(room.getBoundingClientRect().height).to.be.closeTo(box.getBoundingClientRect().height, 1);
  const call = deep<HTMLElement>(room, ['.call'])[0]!;
  expect(call.scrollHeight, 'the call fits its box').to.be.at.most(call.clientHeight + 1);
}

function sideBySide(room: MeetingRoom): { left: DOMRect; right: DOMRect } {
  const [a, b] = tiles(room).map((t) => t.getBoundingClientRect()).sort((x, y) => x.left - y.left);
  expect(a && b, 'two tiles').to.not.equal(undefined);
  expect(Math.abs(a!.top - b!.top), 'same row').to.be.below(2);
  expect(b!.left, 'the second beside the first').to.be.at.least(a!.right);
  return { left: a!, right: b! };
}

describe('<meeting-room> layout, measured', function () {
  this.timeout(30000);
  before(() => {
    document.body.style.margin = '0';
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('fills a 1280×720 box: two people side by side over half of it, one row of icon controls, no scrolling', async () => {
    const { room, box } = await roomIn(1280, 720, 2);
    const { left, right } = sideBySide(room);
    expect(left.width, 'each close to half the width').to.be.above(1280 * 0.45);
    expect(right.width).to.be.closeTo(left.width, 1);
    const covered = coverage(room, box);
    expect(covered, 'tiles cover at least half the box').to.be.at.least(0.5);
    expectOneRowOfNamedIcons(room);
    expectNothingScrolls(room, box);
    console.log(`1280×720, two people: tiles ${left.width.toFixed(0)}×${left.height.toFixed(0)} each, ${(covered * 100).toFixed(1)} % of the box`);
    await expect(room).to.be.accessible();
  });

  it('fills a 390×844 phone: tiles cover at least 40 %, the bar stays one row with a More menu', async () => {
    const { room, box } = await roomIn(390, 844, 2);
    const covered = coverage(room, box);
    expect(covered).to.be.at.least(0.4);
    expectOneRowOfNamedIcons(room);
    expectNothingScrolls(room, box);
    expect(deep(room, ['meeting-controls', '[part~="more"]'])).to.have.length(1);
    const [t] = tiles(room);
    console.log(`390×844, two people: tiles ${t!.getBoundingClientRect().width.toFixed(0)}×${t!.getBoundingClientRect().height.toFixed(0)}, ${(covered * 100).toFixed(1)} % of the box`);
  });

  it('keeps two people side by side at 1280 px with the chat panel docked, and opens a sheet on a phone', async () => {
    const { room, box, call } = await roomIn(1280, 720, 2);
    call.controller.setChatOpen(true);
    await until('the panel', () => deep(room, ['[part~="panel"] meeting-chat']).length === 1);
    await until('the tiles re-fitted', () => tiles(room)[0]!.getBoundingClientRect().right < deep(room, ['[part~="panel"]'])[0]!.getBoundingClientRect().left);
    await settle();
    const panel = deep(room, ['[part~="panel"]'])[0]!.getBoundingClientRect();
    const { left, right } = sideBySide(room);
    expect(right.right, 'tiles left of the panel').to.be.at.most(panel.left);
    console.log(`1280×720 with chat docked (${panel.width.toFixed(0)} px): tiles ${left.width.toFixed(0)}×${left.height.toFixed(0)}, ${(coverage(room, box) * 100).toFixed(1)} % of the box`);
    expectNothingScrolls(room, box);
    await expect(room).to.be.accessible();

    const phone = await roomIn(390, 844, 2);
    phone.call.controller.setChatOpen(true);
    await until('the sheet', () => deep(phone.room, ['[part~="panel"]']).length === 1);
    await settle();
    const sheet = deep(phone.room, ['[part~="panel"]'])[0]!.getBoundingClientRect();
    expect(sheet.width, 'the sheet spans the phone').to.be.closeTo(390, 1);
    expect(sheet.bottom).to.be.closeTo(deep(phone.room, ['.middle'])[0]!.getBoundingClientRect().bottom, 1);
  });

  it('lays nine people out in a 3×3 grid of 16:9 tiles, and a page of six on a phone', async () => {
    const { room } = await roomIn(1280, 720, 9);
    const rows = new Set(tiles(room).map((t) => Math.round(t.getBoundingClientRect().top)));
    expect(rows.size).to.equal(3);
    const first = tiles(room)[0]!.getBoundingClientRect();
    expect(first.width / first.height).to.be.closeTo(16 / 9, 0.02);
    const phone = await roomIn(390, 844, 9);
    expect(tiles(phone.room)).to.have.length(6);
    expect(deep(phone.room, ['participant-grid', '[part~="pager"]'])).to.have.length(1);
  });

  it('uses the page’s --meeting-grid-gap in its layout: tiles stay inside the grid, spaced by it', async () => {
    const { room } = await roomIn(1280, 720, 4, 'style="--meeting-grid-gap: 40px"');
    const grid = deep<ParticipantGrid>(room, ['participant-grid'])[0]!;
    await settle();
    const box = grid.getBoundingClientRect();
    const rects = tiles(room).map((t) => t.getBoundingClientRect());
    for (const r of rects) {
      expect(r.left).to.be.at.least(box.left + 39);
      expect(r.right).to.be.at.most(box.right - 39);
      expect(r.top).to.be.at.least(box.top + 39);
      expect(r.bottom).to.be.at.most(box.bottom - 39);
    }
    const [a, b] = rects.sort((x, y) => x.top - y.top || x.left - y.left);
    expect(b!.left - a!.right).to.be.closeTo(40, 1);
  });

  it('writes no style attribute anywhere, so a strict Content-Security-Policy refuses nothing', async () => {
    const { room, call } = await roomIn(1280, 720, 9);
    call.controller.setLayout('speaker');
    await until('speaker view', () => deep(room, ['participant-grid', '[part~="filmstrip"]']).length === 1);
    const styled: string[] = [];
    const walk = (root: ParentNode) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.hasAttribute('style')) styled.push(el.localName);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(room.shadowRoot!);
    expect(styled).to.deep.equal([]);
  });

  it('keeps the grid’s DOM the same size after 1,000 speaker swaps as after 10', async function () {
    this.timeout(120000);
    const { room, call } = await roomIn(1280, 720, 60);
    const grid = deep<ParticipantGrid>(room, ['participant-grid'])[0]!;
    const ids = [...call.room.remoteParticipants.keys()];
    const count = () => {
      const walker = document.createTreeWalker(grid.shadowRoot!, NodeFilter.SHOW_ALL);
      let nodes = 0;
      while (walker.nextNode()) nodes++;
      return nodes;
    };
    const swap = async (times: number) => {
      for (let i = 0; i < times; i++) {
        const hidden = ids.find((id) => !call.controller.state.visible.includes(id))!;
        call.room.speak([hidden]);
        // The controller publishes the swap in a microtask; the grid renders it on its update.
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(call.controller.state.visible).to.include(hidden);
        await grid.updateComplete;
      }
    };
    await swap(10);
    const after10 = count();
    await swap(990);
    expect(count()).to.equal(after10);
    expect(tiles(room)).to.have.length(25);
  });

  it('hands the theme down by inheritance: no child carries a theme, and a change reaches the panels', async () => {
    const { room, call } = await roomIn(1280, 720, 2, 'theme="dark"');
    call.controller.setChatOpen(true);
    await until('the chat', () => deep(room, ['meeting-chat', 'form']).length === 1);
    const themed = [...deep(room, ['*']), ...deep(room, ['*', '*'])].filter((el) => el.hasAttribute('theme'));
    expect(themed).to.deep.equal([]);
    const chat = deep<HTMLElement>(room, ['meeting-chat'])[0]!;
    expect(getComputedStyle(chat).backgroundColor).to.equal('rgb(31, 32, 35)');
    room.theme = 'light';
    await room.updateComplete;
    expect(getComputedStyle(chat).backgroundColor).to.equal('rgb(255, 255, 255)');
    // The stage stays dark in either theme.
    expect(getComputedStyle(deep(room, ['meeting-controls', '[part~="people"]'])[0]!).backgroundColor).to.equal('rgb(60, 64, 67)');
  });

  it('moves actions into a More menu that works from the keyboard, and offers hosts End for everyone', async () => {
    const { room } = await roomIn(520, 720, 3);
    const controls = deep<HTMLElement>(room, ['meeting-controls'])[0]!;
    const more = deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!;
    expect(more.getAttribute('aria-haspopup')).to.equal('menu');
    more.click();
    await until('the menu open', () => more.getAttribute('aria-expanded') === 'true');
    const items = deep<HTMLElement>(room, ['meeting-controls', '[part~="more-menu"] [role^="menuitem"]']);
    expect(items.length).to.be.greaterThan(1);
    await until('focus on the first item', () => controls.shadowRoot?.activeElement === items[0]);
    items[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(controls.shadowRoot?.activeElement).to.equal(items[1]);
    items[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    expect(controls.shadowRoot?.activeElement).to.equal(items.at(-1));
    await expect(controls).to.be.accessible();
    items.at(-1)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await until('closed, focus back on More', () => more.getAttribute('aria-expanded') === 'false' && controls.shadowRoot?.activeElement === more);

    const leaveMenu = deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="leave-menu"]'])[0]!;
    leaveMenu.click();
    await until('the leave menu', () => deep(room, ['meeting-controls', '[part~="leave-options"]:not([hidden])']).length === 1);
    deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="end"]'])[0]!.click();
    await until('the confirmation', () => deep(room, ['meeting-controls', '[part~="confirm"]']).length === 1);
    expect(getComputedStyle(deep(room, ['meeting-controls', '[part~="leave"]'])[0]!).backgroundColor).to.equal('rgb(234, 67, 53)');
  });

  it('shows the other person large and the user in a corner with self-view="corner"', async () => {
    const { room } = await roomIn(1280, 720, 2, 'self-view="corner"');
    const corner = deep<ParticipantTile>(room, ['participant-grid', '[part~="self-view"] participant-tile']);
    expect(corner).to.have.length(1);
    expect(corner[0]!.identity).to.equal('local');
    const big = tiles(room).find((t) => t.identity !== 'local')!.getBoundingClientRect();
    expect(big.width).to.be.above(900);
    expect(corner[0]!.getBoundingClientRect().width).to.be.below(big.width / 3);
  });
});
