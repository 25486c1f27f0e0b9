// "Lower all hands" in the people panel, against the real token server and media server: a host
// sees it once a hand is up and takes every hand down with it; an attendee never gets it.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-participants/meeting-participants.js';
import type { MeetingParticipants } from '../../src/components/meeting-participants/meeting-participants.component.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { deep, until } from '../support/room-driver.js';

describe('<meeting-participants> lower all hands', function () {
  this.timeout(60000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.dispose()));
    await stopStack();
  });

  async function joined(name: string, meetingId: string): Promise<MeetingController> {
    const controller = new MeetingController({ api: await signIn(stack, name), meetingId });
    controllers.push(controller);
    await controller.join({ displayName: name });
    await stateWhere(controller, (s) => s.phase === 'connected', `${name} in the call`);
    return controller;
  }

  it('shows the button to a host only while a hand is up, and lowers every hand', async () => {
    const hostApi = await signIn(stack, 'Hedy');
    const meetingId = await createMeeting(hostApi);
    const host = await joined('Hedy', meetingId);
    const ann = await joined('Ann', meetingId);
    const bob = await joined('Bob', meetingId);
    await stateWhere(host, (s) => s.participants.length === 3, 'three people at the host');

    const hostPanel = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${host}></meeting-participants>`);
    const annPanel = await fixture<MeetingParticipants>(html`<meeting-participants .controller=${ann}></meeting-participants>`);
    const button = (panel: MeetingParticipants) => deep<HTMLButtonElement>(panel, ['[part~="lower-hands"]'])[0];
    expect(button(hostPanel), 'no hand up, no button').to.equal(undefined);

    await ann.raiseHand();
    await bob.raiseHand();
    await stateWhere(host, (s) => s.hands.length === 2, 'two hands at the host');
    await stateWhere(ann, (s) => s.hands.length === 2, 'two hands at Ann');
    await hostPanel.updateComplete;
    await annPanel.updateComplete;
    expect(button(hostPanel)?.textContent.trim()).to.equal('Lower all hands');
    expect(button(annPanel), 'an attendee has no such button').to.equal(undefined);

    button(hostPanel)!.click();
    await stateWhere(host, (s) => s.hands.length === 0, 'no hands at the host');
    await stateWhere(ann, (s) => s.hands.length === 0 && !s.participants.some((p) => p.handRaised), 'no hands at Ann');
    await stateWhere(bob, (s) => !s.participants.some((p) => p.handRaised), 'no hands at Bob');
    await until('the button gone', () => button(hostPanel) === undefined);
    expect(host.state.lastError).to.equal(undefined);

    // The core refuses the action to an attendee before asking the server (which refuses it too).
    let refused: unknown;
    await ann.lowerAllHands().catch((error: unknown) => (refused = error));
    expect((refused as { code?: string } | undefined)?.code).to.equal('INSUFFICIENT_PERMISSION');
  });

  it('reads in French', async () => {
    const hostApi = await signIn(stack, 'Hedy');
    const meetingId = await createMeeting(hostApi);
    const host = await joined('Hedy', meetingId);
    const ann = await joined('Ann', meetingId);
    await ann.raiseHand();
    await stateWhere(host, (s) => s.hands.length === 1, 'a hand at the host');
    const panel = await fixture<MeetingParticipants>(html`<meeting-participants lang="fr" .controller=${host}></meeting-participants>`);
    await until('the French button', () => deep(panel, ['[part~="lower-hands"]'])[0]?.textContent.trim() === 'Baisser toutes les mains');
  });
});
