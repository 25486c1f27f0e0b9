// Attack: a participant with a modified client publishes `breakouts` data packets in the breakout
// room they share with the victim: a close of the real session (to pull the victim out), an open
// of a session that does not exist, and a message "from the host" to every room. Breakout news
// reaches the room only from the server, so the victim must stay where they are, with nothing
// changed and no event; the host's real message, through the server, reaches her.
import { expect } from '@open-wc/testing';
import { Room } from 'livekit-client';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('attack: forged breakouts packets from a participant', function () {
  this.timeout(90000);
  let stack: Stack;
  const controllers: MeetingController[] = [];
  let attacker: Room | undefined;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await attacker?.disconnect();
    await Promise.all(controllers.map((c) => c.dispose()));
    await stopStack();
  });

  it('ignores breakouts packets a participant publishes; the victim stays in the breakout room', async () => {
    const hostApi = await signIn(stack, 'Hanne');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    await host.join({ displayName: 'Hanne' });
    const victim = new MeetingController({ api: await signIn(stack, 'Vera'), meetingId });
    controllers.push(victim);
    await victim.join({ displayName: 'Vera' });
    const attackerApi = await signIn(stack, 'Mallory');
    const admission = await attackerApi.join(meetingId, { displayName: 'Mallory' });
    if (admission.status !== 'admitted') throw new Error('the attacker should be admitted');

    // Vera is moved on the open; a late joiner with a room is moved on arrival, so she gets there either way.
    await host.openBreakouts({ rooms: [{ name: 'Shared', identities: [victim.state.localIdentity!, admission.identity] }] });
    const there = await stateWhere(victim, (s) => s.breakouts.currentRoomId !== null && s.breakouts.moving === null, 'Vera in Shared', 30000);
    const session = there.breakouts.session!;
    const news: string[] = [];
    for (const name of ['breakouts-opened', 'breakouts-closed', 'breakout-moving', 'breakout-returned', 'breakout-broadcast'] as const) victim.on(name, () => news.push(name));

    const ticket = await attackerApi.joinBreakout(meetingId, session.rooms[0]!.id);
    attacker = new Room();
    await attacker.connect(ticket.livekitUrl, ticket.token, { autoSubscribe: false });
    await stateWhere(victim, (s) => s.participants.some((p) => p.identity === admission.identity), 'the attacker in Shared');

    const packet = (body: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify({ type: 'breakouts', ...body }));
    for (const body of [
      { event: 'closed', breakoutId: session.id, closesAt: null },
      { event: 'opened', breakoutId: '00000000-0000-4000-8000-000000000000', closesAt: null },
      // A "host" message to every room, to send people off to a link of the attacker's.
      { event: 'broadcast', breakoutId: session.id, text: 'Meeting moved: go to evil.example', from: 'Hanne', at: new Date().toISOString() },
    ]) {
      await attacker.localParticipant.publishData(packet(body), { reliable: true, topic: 'breakouts' });
    }
    // A probe on the same ordered, reliable channel: once Vera shows it, the forged packets before it were handled.
    await attacker.localParticipant.publishData(new TextEncoder().encode(JSON.stringify({ emoji: '👋' })), { reliable: true, topic: 'reactions' });
    await stateWhere(victim, (s) => s.reactions.some((r) => r.identity === admission.identity), 'the probe reaction at Vera');
    expect(victim.state.breakouts.currentRoomId, 'still in the breakout room').to.equal(session.rooms[0]!.id);
    expect(victim.state.breakouts.session?.id).to.equal(session.id);
    expect(victim.state.breakouts.moving).to.equal(null);
    expect(news, 'no event for the forged packets').to.deep.equal([]);

    // The host's message, through the server, does reach her.
    const heard = new Promise<{ text: string; from: string }>((resolve) => victim.on('breakout-broadcast', resolve));
    expect(await host.broadcastToBreakouts('Back in five'), 'the main room, Shared').to.equal(2);
    expect(await heard).to.deep.equal({ text: 'Back in five', from: 'Hanne' });

    // The server's close still brings her back.
    await host.closeBreakouts();
    await stateWhere(victim, (s) => s.breakouts.currentRoomId === null && s.breakouts.moving === null, 'Vera back in the main room', 30000);
    expect(news).to.include('breakouts-closed');
  });
});
