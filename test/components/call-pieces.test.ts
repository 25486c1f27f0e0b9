// The call's pieces on their own, given a controller, as a chat app places them in its own layout:
// <meeting-controls>, <participant-tile>, <meeting-chat>, <meeting-participants>. The controller runs
// over the synthetic room (see participant-grid.test.ts for why); real calls are in the room suites.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { MeetingControls } from '../../src/components/meeting-controls/meeting-controls.component.js';
import type { ParticipantTile } from '../../src/components/participant-tile/participant-tile.component.js';
import type { MeetingParticipants } from '../../src/components/meeting-participants/meeting-participants.component.js';
import type { Role } from '../../src/core/api/types.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';
import { deep, until } from '../support/room-driver.js';

const controllers: MeetingController[] = [];

async function joinedAs(role: Role, others = 3): Promise<MeetingController> {
  const room = new SyntheticRoom(others);
  const controller = new MeetingController({ api: syntheticMeetingApi(role), meetingId: 'm', roomFactory: () => room.asRoom() });
  controllers.push(controller);
  await controller.join({ displayName: 'Me' });
  return controller;
}

const parts = (el: Element, name: string) => deep<HTMLElement>(el, [`[part~="${name}"]`]);

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.dispose()));
});

describe('<meeting-controls> standalone', () => {
  it('offers an attendee no host-only control, and a host all of them', async () => {
    const attendee = await fixture<MeetingControls>(html`<meeting-controls .controller=${await joinedAs('attendee')}></meeting-controls>`);
    for (const name of ['microphone', 'camera', 'hand', 'chat', 'people', 'settings', 'layout', 'react', 'leave']) expect(parts(attendee, name), name).to.have.length(1);
    for (const name of ['end', 'record']) expect(parts(attendee, name), name).to.have.length(0);
    const host = await fixture<MeetingControls>(html`<meeting-controls .controller=${await joinedAs('host')}></meeting-controls>`);
    for (const name of ['end', 'record']) expect(parts(host, name), name).to.have.length(1);
    await expect(host).to.be.accessible();
  });

  it('fires its events on clicks only, and a cancelled leave keeps the user in', async () => {
    const controller = await joinedAs('attendee');
    const events: string[] = [];
    const el = await fixture<MeetingControls>(html`<meeting-controls .controller=${controller}></meeting-controls>`);
    for (const type of ['meeting-panel-toggle', 'meeting-leave-request']) document.addEventListener(type, (e) => e.target === el && events.push(type));
    el.panel = 'people';
    el.panel = 'settings';
    await el.updateComplete;
    expect(events).to.deep.equal([]);
    parts(el, 'people')[0]!.click();
    const cancel = (event: Event) => event.preventDefault();
    el.addEventListener('meeting-leave-request', cancel);
    parts(el, 'leave')[0]!.click();
    el.removeEventListener('meeting-leave-request', cancel);
    expect(events).to.deep.equal(['meeting-panel-toggle', 'meeting-leave-request']);
    expect(controller.state.phase).to.equal('connected');
  });

  it('is styled from outside through a part and a custom property', async () => {
    const style = document.createElement('style');
    style.textContent = `.brand { --meeting-leave-color: rgb(120, 0, 0); } .brand::part(hand) { opacity: 0.5; }`;
    document.head.append(style);
    try {
      const el = await fixture<MeetingControls>(html`<meeting-controls class="brand" .controller=${await joinedAs('attendee')}></meeting-controls>`);
      expect(getComputedStyle(parts(el, 'leave')[0]!).backgroundColor).to.equal('rgb(120, 0, 0)');
      expect(getComputedStyle(parts(el, 'hand')[0]!).opacity).to.equal('0.5');
    } finally {
      style.remove();
    }
  });
});

describe('<participant-tile> standalone', () => {
  it('shows initials without video, the role, the quality, and pins on click', async () => {
    const controller = await joinedAs('attendee');
    const tile = await fixture<ParticipantTile>(html`<participant-tile identity="p0" .controller=${controller}></participant-tile>`);
    expect(parts(tile, 'avatar')[0]!.textContent).to.equal('P0');
    expect(parts(tile, 'label')[0]!.textContent).to.contain('Person 0');
    expect(parts(tile, 'quality')[0]!.getAttribute('aria-label')).to.equal('Good connection');
    expect(parts(tile, 'role')).to.have.length(0);
    parts(tile, 'pin')[0]!.click();
    await until('pinned', () => tile.matches(':state(pinned)'));
    expect(controller.state.pinned).to.equal('p0');
    expect(parts(tile, 'pin')[0]!.getAttribute('aria-pressed')).to.equal('true');
    await expect(tile).to.be.accessible();
  });

  it('renders nothing for someone who is not in the call', async () => {
    const tile = await fixture<ParticipantTile>(html`<participant-tile identity="nobody" .controller=${await joinedAs('attendee')}></participant-tile>`);
    expect(tile.shadowRoot?.children.length ?? 0).to.equal(0);
  });
});

describe('<meeting-participants> standalone', () => {
  it('lists everyone, with host actions for a host only', async () => {
    const asHost = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${await joinedAs('host')}></meeting-participants>`);
    await until('the list', () => parts(asHost, 'participant').length === 4);
    expect(parts(asHost, 'action').length).to.be.greaterThan(0);
    expect(parts(asHost, 'lock')).to.have.length(1);
    await expect(asHost).to.be.accessible();
    const asAttendee = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${await joinedAs('attendee')}></meeting-participants>`);
    await until('the list', () => parts(asAttendee, 'participant').length === 4);
    expect(parts(asAttendee, 'action')).to.have.length(0);
    expect(parts(asAttendee, 'lock')).to.have.length(0);
  });
});
