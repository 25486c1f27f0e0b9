// A tile follows its own participant: in a real <participant-grid> over a real three-person call,
// the tile of someone who changes nothing is not even asked to update while someone else mutes and
// unmutes, and the changing person's tile renders each change.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/participant-grid/participant-grid.js';
import type { ParticipantGrid } from '../../src/components/participant-grid/participant-grid.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import type { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { quietAndBusyCall, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, until } from '../support/room-driver.js';

/** Counts a tile's update cycles (asked to update at all) and its renders, from now on. */
function watch(tile: ParticipantTile): { cycles: number; renders: number } {
  const counts = { cycles: 0, renders: 0 };
  const hooks = tile as unknown as { shouldUpdate(changed: Map<PropertyKey, unknown>): boolean; render(): unknown };
  const shouldUpdate = hooks.shouldUpdate.bind(tile);
  const render = hooks.render.bind(tile);
  hooks.shouldUpdate = (changed) => {
    counts.cycles++;
    return shouldUpdate(changed);
  };
  hooks.render = () => {
    counts.renders++;
    return render();
  };
  return counts;
}

describe('<participant-tile> in a real grid', function () {
  this.timeout(60000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
    await stopStack();
  });

  it('does not update when another participant changes, and renders each change of its own', async () => {
    const { host, busy, quietId: adaId, busyId: benId } = await quietAndBusyCall(stack, controllers);

    const grid = await fixture<ParticipantGrid>(html`<participant-grid style="display:block;width:960px;height:540px" .controller=${host}></participant-grid>`);
    const tileOf = (identity: string) => deep<ParticipantTile>(grid, ['participant-tile']).find((t) => t.identity === identity);
    await until('the three tiles', () => deep(grid, ['participant-tile']).length === 3 && tileOf(adaId)?.participant?.name === 'Ada');
    const ada = tileOf(adaId)!;
    const ben = tileOf(benId)!;
    await Promise.all([ada.updateComplete, ben.updateComplete, grid.updateComplete]);
    const adaCounts = watch(ada);
    const benCounts = watch(ben);
    const gridCounts = watch(grid as unknown as ParticipantTile);

    for (const muted of [true, false, true]) {
      await busy.setMicrophone(!muted);
      await stateWhere(host, (s) => s.participants.find((p) => p.identity === benId)?.microphone.muted === muted, `Ben's microphone ${muted ? 'muted' : 'on'} at the host`);
      await until("Ben's tile to show it", () => ben.matches(':state(muted)') === muted);
    }
    await Promise.all([ada.updateComplete, ben.updateComplete, grid.updateComplete]);
    expect(gridCounts.cycles, 'the grid follows the whole meeting').to.be.at.least(3);
    expect(benCounts.renders, "Ben's tile rendered his three changes").to.be.at.least(3);
    expect(adaCounts, "Ada's tile was left alone").to.deep.equal({ cycles: 0, renders: 0 });
    expect(ada.isConnected && ada.participant?.name === 'Ada').to.equal(true);
    grid.remove();
  });
});
