// <participant-grid> standalone, over calls of 1 to 100 people. A hundred real participants cannot
// join on this machine, so these use the synthetic room (the same Room events and shapes as
// livekit-client's, see scripts/bench/controller-page/synthetic-room.ts); the real two- and
// three-person calls are in the media and meeting-room suites.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/participant-grid/participant-grid.js';
import type { ParticipantGrid } from '../../src/components/participant-grid/participant-grid.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';
import { deep, until } from '../support/room-driver.js';

async function callOf(people: number): Promise<{ controller: MeetingController; room: SyntheticRoom }> {
  const room = new SyntheticRoom(people - 1);
  const controller = new MeetingController({ api: syntheticMeetingApi('attendee'), meetingId: 'm', roomFactory: () => room.asRoom() });
  await controller.join({ displayName: 'Me' });
  return { controller, room };
}

const tilesIn = (grid: ParticipantGrid) => deep<ParticipantTile>(grid, ['participant-tile']);

describe('<participant-grid>', function () {
  this.timeout(20000);
  const controllers: MeetingController[] = [];
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });

  for (const [screen, width, height, pageSize] of [
    ['a desktop', 1280, 800, 25],
    ['a phone', 360, 640, 6],
  ] as const) {
    for (const people of [1, 4, 17, 100]) {
      it(`shows ${String(people)} ${people === 1 ? 'person' : 'people'} on ${screen}: ${String(Math.min(people, pageSize))} tiles a page`, async () => {
        const { controller } = await callOf(people);
        controllers.push(controller);
        const grid = await fixture<ParticipantGrid>(html`<participant-grid style=${`display:block;width:${String(width)}px;height:${String(height)}px`} .controller=${controller}></participant-grid>`);
        const pages = Math.ceil(people / pageSize);
        await until('the page size from the grid size', () => controller.state.pageSize === pageSize && tilesIn(grid).length === Math.min(people, pageSize));
        expect(controller.state.pageCount).to.equal(pages);
        expect(deep(grid, ['[part~="pager"]'])).to.have.length(pages > 1 ? 1 : 0);
        // Only the tiles on the page are subscribed to video.
        expect(tilesIn(grid).map((t) => t.identity)).to.deep.equal(controller.state.visible);
        if (pages > 1) {
          // The pager sits under the tiles, never over a name on the last row.
          await until('the tiles laid out', () => tilesIn(grid).every((t) => t.getBoundingClientRect().height > 0));
          const pager = deep<HTMLElement>(grid, ['[part~="pager"]'])[0]!.getBoundingClientRect();
          const covered = tilesIn(grid).filter((t) => {
            const tile = t.getBoundingClientRect();
            return tile.bottom > pager.top && tile.top < pager.bottom && tile.right > pager.left && tile.left < pager.right;
          });
          expect(covered.map((t) => t.identity), 'tiles under the pager').to.deep.equal([]);
          const first = tilesIn(grid).map((t) => t.identity);
          deep<HTMLButtonElement>(grid, ['[part~="pager"] button'])[1]!.click();
          await until('the second page', () => controller.state.page === 1 && tilesIn(grid)[0]?.identity !== first[0]);
          expect(tilesIn(grid).some((t) => first.includes(t.identity))).to.equal(false);
          await expect(grid).to.be.accessible();
        }
      });
    }
  }

  it('brings a new speaker from a later page onto the first page', async () => {
    const { controller, room } = await callOf(60);
    controllers.push(controller);
    const grid = await fixture<ParticipantGrid>(html`<participant-grid style="display:block;width:1280px;height:800px" .controller=${controller}></participant-grid>`);
    await until('the first page', () => tilesIn(grid).length === 25);
    const hidden = [...room.remoteParticipants.keys()].find((id) => !controller.state.visible.includes(id))!;
    const before = tilesIn(grid);
    // Every removal and insertion of a tile: a moved tile is disconnected, which pauses its video.
    const changes = { added: 0, removed: 0 };
    const watcher = new MutationObserver((records) => {
      for (const record of records) {
        changes.added += record.addedNodes.length;
        changes.removed += record.removedNodes.length;
      }
    });
    watcher.observe(before[0]!.parentElement!, { childList: true });
    room.speak([hidden]);
    await until('the speaker on page 1', () => tilesIn(grid).some((t) => t.identity === hidden));
    watcher.disconnect();
    const after = tilesIn(grid);
    expect(after).to.have.length(25);
    // One tile made room (the longest silent); the rest are the same elements, in the same places.
    const stayed = after.filter((tile) => tile.identity !== hidden);
    expect(stayed.filter((tile) => before.includes(tile))).to.have.length(24);
    expect(stayed.map((tile) => before.indexOf(tile)).every((at, i, all) => i === 0 || at > (all[i - 1] ?? -1))).to.equal(true);
    expect(changes).to.deep.equal({ added: 1, removed: 1 });
  });

  it('is styled from outside: the gap property and a tile part through the grid', async () => {
    const { controller } = await callOf(4);
    controllers.push(controller);
    const style = document.createElement('style');
    style.textContent = `.spaced { --meeting-grid-gap: 20px; } .spaced::part(tile) { opacity: 0.5; } .spaced::part(tile-label) { text-transform: uppercase; }`;
    document.head.append(style);
    try {
      const grid = await fixture<ParticipantGrid>(html`<participant-grid class="spaced" style="display:block;width:800px;height:600px" .controller=${controller}></participant-grid>`);
      await until('the tiles', () => tilesIn(grid).length === 4);
      await until('the tiles laid out', () => tilesIn(grid).every((t) => t.getBoundingClientRect().width > 0));
      const [a, b] = tilesIn(grid).map((t) => t.getBoundingClientRect());
      expect(b!.left - a!.right, 'the layout spaces tiles by the gap').to.be.closeTo(20, 1);
      expect(getComputedStyle(tilesIn(grid)[0]!).opacity).to.equal('0.5');
      // A part inside a tile, reached through the grid's exportparts.
      await tilesIn(grid)[0]!.updateComplete;
      expect(getComputedStyle(deep(tilesIn(grid)[0]!, ['[part~="label"]'])[0]!).textTransform).to.equal('uppercase');
    } finally {
      style.remove();
    }
  });
});
