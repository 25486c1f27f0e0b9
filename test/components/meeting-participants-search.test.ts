// The people panel's search in a large meeting (the synthetic room: 40 people, the same Room
// events and shapes as livekit-client's). Small calls get no search field; a large one keeps the
// lines whose name holds what is typed, case and accents aside; Escape clears it first.
import { expect, fixture, html } from '@open-wc/testing';
import { RoomEvent } from 'livekit-client';
import '../../src/components/meeting-participants/meeting-participants.js';
import type { MeetingParticipants } from '../../src/components/meeting-participants/meeting-participants.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { SyntheticParticipant, SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';
import { deep, until } from '../support/room-driver.js';

async function callOf(others: number): Promise<{ controller: MeetingController; room: SyntheticRoom }> {
  const room = new SyntheticRoom(others);
  const controller = new MeetingController({ api: syntheticMeetingApi('host'), meetingId: 'm', roomFactory: () => room.asRoom() });
  await controller.join({ displayName: 'Me' });
  return { controller, room };
}

const names = (panel: MeetingParticipants) => deep<HTMLElement>(panel, ['[part~="participant"] .name']).map((el) => el.textContent.trim());
const search = (panel: MeetingParticipants) => deep<HTMLInputElement>(panel, ['[part~="search"]'])[0];

function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('<meeting-participants> search', function () {
  this.timeout(20000);
  const controllers: MeetingController[] = [];
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });

  it('offers no search in a call of a few', async () => {
    const { controller } = await callOf(4);
    controllers.push(controller);
    const panel = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${controller}></meeting-participants>`);
    await until('five lines', () => names(panel).length === 5);
    expect(search(panel)).to.equal(undefined);
  });

  it('keeps the names that hold the search, case and accents aside, and says when none does', async () => {
    const { controller, room } = await callOf(40);
    controllers.push(controller);
    const zoe = new SyntheticParticipant('zoe', 'Zoë Émile', new Date(9000));
    room.remoteParticipants.set('zoe', zoe);
    room.emit(RoomEvent.ParticipantConnected, zoe);
    const panel = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${controller}></meeting-participants>`);
    await until('42 lines', () => names(panel).length === 42);
    const input = search(panel);
    expect(input, 'a search field').to.not.equal(undefined);
    expect(input?.getAttribute('aria-label')).to.equal('Search people');

    type(input!, 'person 3');
    await panel.updateComplete;
    expect(names(panel)).to.deep.equal(['Person 3', 'Person 30', 'Person 31', 'Person 32', 'Person 33', 'Person 34', 'Person 35', 'Person 36', 'Person 37', 'Person 38', 'Person 39']);
    // The heading still counts everyone.
    expect(deep(panel, ['h3'])[0]?.textContent).to.equal('People (42)');

    type(input!, '  EMILE ');
    await panel.updateComplete;
    expect(names(panel)).to.deep.equal(['Zoë Émile']);
    type(input!, 'zoe');
    await panel.updateComplete;
    expect(names(panel)).to.deep.equal(['Zoë Émile']);

    type(input!, 'nobody by that name');
    await panel.updateComplete;
    expect(names(panel)).to.deep.equal([]);
    expect(deep(panel, ['[part~="no-match"]'])[0]?.textContent).to.equal('No one here matches “nobody by that name”.');
    await expect(panel).to.be.accessible();

    // Escape clears the search and goes no further; once empty, Escape goes on to the page.
    let reached = 0;
    const count = () => reached++;
    document.addEventListener('keydown', count);
    try {
      input!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await panel.updateComplete;
      expect(names(panel)).to.have.length(42);
      expect(input!.value).to.equal('');
      expect(reached).to.equal(0);
      input!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      expect(reached).to.equal(1);
    } finally {
      document.removeEventListener('keydown', count);
    }
  });
});
