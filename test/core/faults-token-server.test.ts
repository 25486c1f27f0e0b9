// Faults (issue 18, item 4): the token server restarts while a host is in a call and a guest waits.
// The host's event stream and the guest's long poll must resume by themselves: a guest who knocks
// after the restart is seen, and a guest whose poll was cut stays in line and gets in.
import { expect } from '@open-wc/testing';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { Phase } from '../../src/core/controller/state.js';
import { createMeeting, restartTokenServer, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('faults: the token server restarts', function () {
  this.timeout(90000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await stopStack();
  });

  async function hostInCall(): Promise<{ host: MeetingController; meetingId: string }> {
    const hostApi = await signIn(stack, 'Hester');
    const meetingId = await createMeeting(hostApi, { waitingRoom: true });
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    await host.join({ displayName: 'Hester' });
    return { host, meetingId };
  }

  it('a guest who knocks after the restart is seen by the host, and admitted', async () => {
    const { host, meetingId } = await hostInCall();
    // Sign in before the restart: the user's token must outlive it, as a real one does.
    const guestApi = await signIn(stack, 'Kit');
    const phases: Phase[] = [];
    host.on('phase-change', ({ phase }) => phases.push(phase));

    const restart = await restartTokenServer({ downMs: 1000 });
    const backAt = Date.now();
    const guest = new MeetingController({ api: guestApi, meetingId });
    controllers.push(guest);
    const joining = guest.join({ displayName: 'Kit' });
    const seen = await stateWhere(host, (s) => s.waiting.length === 1, 'the host to see the guest who knocked after the restart', 30000);
    const seenAfterMs = Date.now() - backAt;
    console.log(`[faults] token server down ${String(restart.downMs)} ms; a knock after it seen by the host ${String(seenAfterMs)} ms after it was back`);
    expect(seen.waiting[0]?.displayName).to.equal('Kit');
    expect(phases, 'the host stayed in the call').to.deep.equal([]);
    await host.admit(seen.waiting[0]!.waitingId);
    await joining;
    expect(guest.state.phase).to.equal('connected');
  });

  it('a waiter whose long poll is cut by the restart stays waiting, and gets in once admitted', async () => {
    const { host, meetingId } = await hostInCall();
    const guest = new MeetingController({ api: await signIn(stack, 'Wren'), meetingId });
    controllers.push(guest);
    const phases: Phase[] = [];
    guest.on('phase-change', ({ phase }) => phases.push(phase));
    const joining = guest.join({ displayName: 'Wren' });
    await stateWhere(guest, (s) => s.phase === 'waiting', 'the guest waiting');
    await stateWhere(host, (s) => s.waiting.length === 1, 'the host to see the waiter before the restart');

    const cutAt = Date.now();
    // The long poll (25 s) is open: the shutdown cuts it after the grace.
    const restart = await restartTokenServer({ downMs: 1500, graceMs: 500 });
    expect(guest.state.phase, 'still in line right after the restart').to.equal('waiting');
    // The host's stream comes back with the list as it is now, and the host lets the guest in.
    const listed = await stateWhere(host, (s) => s.waiting.length === 1, 'the waiter still listed after the restart', 30000);
    await host.admit(listed.waiting[0]!.waitingId);
    await joining;
    const inAfterMs = Date.now() - cutAt;
    console.log(`[faults] token server down ${String(restart.downMs)} ms with a long poll open; the waiter was admitted and connected ${String(inAfterMs)} ms after the cut`);
    expect(guest.state.phase).to.equal('connected');
    expect(phases, 'never back to the lobby, never an error').to.deep.equal(['connecting', 'waiting', 'connecting', 'connected']);
  });
});
