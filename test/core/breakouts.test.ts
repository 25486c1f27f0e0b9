// The breakout unit against the real token server and the embedded media server: a host opens
// breakout rooms, the attendee assigned is moved there (another LiveKit room, same devices and
// toggles, no new session), sees only who is in that room, and comes back on the close or by choice.
import { expect } from '@open-wc/testing';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('breakout rooms in the core', function () {
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

  async function joined(meetingId: string, name: string, media = false): Promise<MeetingController> {
    const controller = new MeetingController({ api: await signIn(stack, name), meetingId });
    controllers.push(controller);
    if (media) await controller.preview({ audio: true, video: true });
    await controller.join({ displayName: name });
    return controller;
  }

  /** Until a newcomer's data channel is open, the server's packets to it are lost: a reaction seen says it is open. */
  async function dataFlows(from: MeetingController, to: MeetingController): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await from.react('👍');
      try {
        await stateWhere(to, (s) => s.reactions.some((r) => r.identity === from.state.localIdentity), 'a reaction', 1000);
        return;
      } catch {
        // Not open yet: send another.
      }
    }
    throw new Error('no data reached the other participant');
  }

  it('moves the assigned attendee to their room and back on the close, keeping devices and toggles, with typed news', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Hana'));
    const host = await joined(meetingId, 'Hana');
    const ivo = await joined(meetingId, 'Ivo', true);
    const jo = await joined(meetingId, 'Jo');
    await stateWhere(host, (s) => s.participants.length === 3, 'all three in the call');
    await dataFlows(host, ivo);
    await dataFlows(host, jo);
    await ivo.setMicrophone(false);
    const cameraBefore = ivo.state.local.camera.enabled;
    expect(cameraBefore).to.equal(true);
    const news: string[] = [];
    let movedMs = -1;
    ivo.on('breakouts-opened', (n) => news.push(`opened:${n.name ?? '-'}`));
    ivo.on('breakout-moving', (n) => news.push(`moving:${n.name ?? 'main'}`));
    ivo.on('breakout-moved', (n) => {
      news.push(`moved:${n.name ?? '-'}`);
      movedMs = n.ms;
    });
    ivo.on('breakout-returned', (n) => news.push(`returned:${String(n.closed)}`));
    ivo.on('joined', () => news.push('joined'));
    ivo.on('left', () => news.push('left'));

    expect(host.state.abilities.manageBreakouts).to.equal(true);
    expect(ivo.state.abilities.manageBreakouts).to.equal(false);
    await host.openBreakouts({ rooms: [{ name: 'Ideas', identities: [ivo.state.localIdentity!] }, { name: 'Rest', identities: [jo.state.localIdentity!] }] });
    expect(host.state.breakouts.session?.rooms.map((r) => r.name)).to.deep.equal(['Ideas', 'Rest']);

    const moved = await stateWhere(ivo, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'Ivo in his breakout room', 20000);
    expect(moved.breakouts.session?.rooms.map((r) => r.name), 'an attendee sees his own room only').to.deep.equal(['Ideas']);
    expect(moved.breakouts.currentRoomId).to.equal(moved.breakouts.assignedRoomId);
    expect(moved.phase).to.equal('connected');
    expect(news).to.deep.equal(['opened:Ideas', 'moving:Ideas', 'moved:Ideas']);
    expect(movedMs).to.be.greaterThan(0);
    // Alone in the room: the others are in other rooms.
    await stateWhere(ivo, (s) => s.participants.length === 1, 'only Ivo in Ideas');
    await stateWhere(ivo, (s) => s.local.camera.enabled === cameraBefore && !s.local.camera.pending, 'the camera as it was');
    expect(ivo.state.local.microphone.enabled, 'the microphone stays off').to.equal(false);
    await stateWhere(host, (s) => s.participants.length === 1, 'the host alone in the main room');

    // The host visits Ideas and sees Ivo there.
    const ideas = host.state.breakouts.session!.rooms[0]!.id;
    await host.joinBreakout(ideas);
    await stateWhere(host, (s) => s.participants.some((p) => p.identity === ivo.state.localIdentity), 'Ivo seen by the visiting host');
    await host.returnToMain();
    expect(host.state.breakouts.currentRoomId).to.equal(null);

    await host.closeBreakouts();
    await stateWhere(ivo, (s) => s.breakouts.currentRoomId === null && s.breakouts.moving === null && s.breakouts.session === null, 'Ivo back in the main room', 20000);
    await stateWhere(ivo, (s) => s.participants.length === 3, 'all three together again', 20000);
    expect(news.slice(3)).to.deep.equal(['moving:main', 'returned:true']);
    expect(ivo.state.local.camera.enabled).to.equal(cameraBefore);
    expect(ivo.state.local.microphone.enabled).to.equal(false);
    expect(news.filter((n) => n === 'joined' || n === 'left'), 'a move is no new entry').to.deep.equal([]);
  });

  it('an attendee may go back by choice and is not moved again; a late joiner is moved to the room assigned to them', async () => {
    const hostApi = await signIn(stack, 'Kai');
    const meetingId = await createMeeting(hostApi);
    const host = await joined(meetingId, 'Kai');
    const lena = await joined(meetingId, 'Lena');
    await dataFlows(host, lena);
    await host.openBreakouts({ split: 1 });
    await stateWhere(lena, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'Lena in Room 1', 20000);
    await lena.returnToMain();
    expect(lena.state.breakouts.currentRoomId).to.equal(null);
    expect(lena.state.breakouts.session?.rooms.map((r) => r.name)).to.deep.equal(['Room 1']);
    await stateWhere(lena, (s) => s.participants.length === 2, 'Lena with the host again');
    // She may go again herself; others' rooms are refused by the server.
    await lena.joinBreakout(lena.state.breakouts.assignedRoomId!);
    expect(lena.state.breakouts.currentRoomId).to.equal(lena.state.breakouts.assignedRoomId);
    await lena.returnToMain();

    // A new session assigns Max, who arrives after it opened: he is moved on arrival, without news of the open.
    const maxApi = await signIn(stack, 'Max');
    const max = new MeetingController({ api: maxApi, meetingId });
    controllers.push(max);
    const seen: string[] = [];
    max.on('breakouts-opened', () => seen.push('opened'));
    const maxIdentity = await maxApi.join(meetingId, { displayName: 'Max' }).then((a) => (a.status === 'admitted' ? a.identity : ''));
    await host.openBreakouts({ rooms: [{ name: 'Late', identities: [maxIdentity] }] });
    await max.join({ displayName: 'Max' });
    await stateWhere(max, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'Max in Late', 20000);
    expect(max.state.breakouts.session?.rooms.map((r) => r.name)).to.deep.equal(['Late']);
    expect(seen).to.deep.equal([]);
  });

  it('kept in the room by the host: no way back, and a reload (a new controller) lands in the room, not at the refused main room', async () => {
    const hostApi = await signIn(stack, 'Nora');
    const meetingId = await createMeeting(hostApi);
    const host = await joined(meetingId, 'Nora');
    const olaApi = await signIn(stack, 'Ola');
    const ola = new MeetingController({ api: olaApi, meetingId });
    controllers.push(ola);
    await ola.join({ displayName: 'Ola' });
    await dataFlows(host, ola);
    await host.openBreakouts({ split: 1, allowReturn: false });
    await stateWhere(ola, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'Ola in Room 1', 20000);
    const roomId = ola.state.breakouts.currentRoomId;
    expect(ola.state.breakouts.mayReturn).to.equal(false);
    expect(host.state.breakouts.mayReturn, 'a host always may').to.equal(true);
    const refusal = await ola.returnToMain().then(
      () => undefined,
      (error: unknown) => error as { code?: string },
    );
    expect(refusal?.code).to.equal('BREAKOUT_RETURN_NOT_ALLOWED');
    // The server says so too, to a client that asks anyway.
    const asked = await olaApi.join(meetingId, { displayName: 'Ola' }).then(
      () => undefined,
      (error: unknown) => error as { code?: string; details?: { roomId?: string } },
    );
    expect(asked?.code).to.equal('BREAKOUT_RETURN_NOT_ALLOWED');
    expect(asked?.details?.roomId).to.equal(roomId);

    // A reload: the old page is gone, a new one joins and is taken to her room.
    await ola.dispose();
    const again = new MeetingController({ api: olaApi, meetingId });
    controllers.push(again);
    const phases: string[] = [];
    again.on('phase-change', ({ phase }) => phases.push(phase));
    await again.join({ displayName: 'Ola' });
    expect(again.state.phase).to.equal('connected');
    expect(again.state.breakouts.currentRoomId).to.equal(roomId);
    await stateWhere(again, (s) => s.breakouts.session !== null, 'the session read', 10000);
    expect(again.state.breakouts.mayReturn).to.equal(false);
    expect(phases).to.not.include('error');

    // The close lets her back.
    await host.closeBreakouts();
    await stateWhere(again, (s) => s.breakouts.currentRoomId === null && s.participants.length === 2, 'Ola back with the host', 30000);
  });
});
