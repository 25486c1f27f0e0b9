// Elements select what they render: a patch that changes nothing notifies no one, and a follower of
// one participant sleeps through everyone else's changes, in the store, in the controller over a
// real call, and in a Lit element through MeetingSelectController.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { ParticipantView } from '../../src/core/controller/state.js';
import { Store, shallowEqual } from '../../src/core/controller/store.js';
import { MeetingSelectController } from '../../src/internal/meeting-state.js';
import { SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';
import { quietAndBusyCall, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('Store', () => {
  it('notifies no one for an update that changes nothing, or a task that ends where it began', async () => {
    const store = new Store({ a: 1, b: { c: 2 } });
    const seen: unknown[] = [];
    store.subscribe((value) => seen.push(value));
    store.update((value) => value);
    await tick();
    const start = store.current;
    store.update(() => ({ a: 2, b: start.b }));
    store.update(() => start);
    await tick();
    expect(seen).to.have.length(1);
    expect(store.notifications).to.equal(0);
    store.update((value) => ({ ...value, a: 3 }));
    await tick();
    expect(seen).to.have.length(2);
  });

  it('select calls its listener with the slice at once, then only when the slice changes', async () => {
    const store = new Store({ a: 1, b: 'x' });
    const slices: number[] = [];
    const stop = store.select((value) => value.a, (a) => slices.push(a));
    store.update((value) => ({ ...value, b: 'y' }));
    await tick();
    store.update((value) => ({ ...value, a: 2 }));
    await tick();
    expect(slices).to.deep.equal([1, 2]);
    const pairs: Array<{ a: number }> = [];
    store.select((value) => ({ a: value.a }), (pair) => pairs.push(pair), shallowEqual);
    store.update((value) => ({ ...value, b: 'z' }));
    await tick();
    expect(pairs).to.have.length(1);
    stop();
    expect(store.listenerCount).to.equal(1);
  });
});

describe('MeetingController.select over a real call', function () {
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

  it('a tile-like follower of participant A is not called when participant B changes', async () => {
    // A publishes nothing, so nothing of A's changes while B toggles.
    const { host, busy, quietId: aId, busyId: bId } = await quietAndBusyCall(stack, controllers);

    const aViews: Array<ParticipantView | undefined> = [];
    const bViews: Array<ParticipantView | undefined> = [];
    host.select((s) => s.participants.find((p) => p.identity === aId), (view) => aViews.push(view));
    host.select((s) => s.participants.find((p) => p.identity === bId), (view) => bViews.push(view));
    for (const muted of [true, false, true]) {
      await busy.setMicrophone(!muted);
      await stateWhere(host, (s) => s.participants.find((p) => p.identity === bId)?.microphone.muted === muted, `B's microphone ${muted ? 'muted' : 'on'} at the host`);
    }
    expect(bViews.length, 'B changed three times').to.be.at.least(4);
    expect(aViews, 'A did not change').to.have.length(1);
    expect(aViews[0]?.name).to.equal('Ada');
  });
});

class TileProbe extends LitElement {
  static override properties = { identity: {} };
  identity = '';
  renders = 0;
  readonly view = new MeetingSelectController(this, (s) => s.participants.find((p) => p.identity === this.identity));

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('identity')) this.view.reselect();
  }

  protected override render() {
    this.renders++;
    return html`${this.view.value?.name ?? ''}`;
  }
}
customElements.define('tile-probe', TileProbe);

describe('MeetingSelectController', () => {
  it('renders a tile again when its participant changes, never when someone else does', async () => {
    const room = new SyntheticRoom(4);
    const controller = new MeetingController({ api: syntheticMeetingApi('attendee'), meetingId: 'm', roomFactory: () => room.asRoom() });
    await controller.join({ displayName: 'Me' });
    // The first rebuild subscribes the page's tracks, which the next one shows: let that settle.
    room.speak(['p1']);
    await tick();
    const tile = await fixture<TileProbe>(html`<tile-probe .identity=${'p0'}></tile-probe>`);
    tile.view.follow(controller);
    await tile.updateComplete;
    expect(tile.shadowRoot?.textContent).to.equal('Person 0');
    const settled = tile.renders;

    for (let i = 0; i < 5; i++) {
      room.speak(['p1']);
      room.speak(['p2', 'p3']);
      await tick();
      await tile.updateComplete;
    }
    expect(controller.state.activeSpeakers).to.deep.equal(['p2', 'p3']);
    expect(tile.renders, 'others speaking').to.equal(settled);

    room.speak(['p0']);
    await tick();
    await tile.updateComplete;
    expect(tile.renders, 'its own participant speaking').to.equal(settled + 1);
    await controller.dispose();
  });
});
