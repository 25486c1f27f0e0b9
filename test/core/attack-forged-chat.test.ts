// Attack: a participant with a modified client publishes a `chat` data packet claiming to be the
// host. Chat reaches the room only from the server (stored, rate-limited, named by the server), so
// the widget must show nothing of it and fire no event.
import { expect } from '@open-wc/testing';
import { Room } from 'livekit-client';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { ChatMessageNews } from '../../src/core/controller/events.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('attack: forged chat packets from a participant', function () {
  this.timeout(60000);
  let stack: Stack;
  let host: MeetingController | undefined;
  let attacker: Room | undefined;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await attacker?.disconnect();
    await host?.dispose();
    await stopStack();
  });

  it('ignores a chat packet a participant publishes, while the same participant’s server-sent message shows', async () => {
    const hostApi = await signIn(stack, 'Helga');
    const meetingId = await createMeeting(hostApi);
    host = new MeetingController({ api: hostApi, meetingId });
    const events: ChatMessageNews[] = [];
    host.on('chat-message', (message) => events.push(message));
    await host.join({ displayName: 'Helga' });

    // The attacker is a real participant, admitted by the server, on a client of their own.
    const attackerApi = await signIn(stack, 'Mallory');
    const admission = await attackerApi.join(meetingId, { displayName: 'Mallory' });
    if (admission.status !== 'admitted') throw new Error('the attacker should be admitted');
    attacker = new Room();
    await attacker.connect(admission.livekitUrl, admission.token, { autoSubscribe: false });
    await stateWhere(host, (s) => s.participants.length === 2, 'the attacker in the room');

    const forged = {
      id: 'forged-1',
      identity: host.state.localIdentity,
      displayName: 'Helga',
      text: 'Everyone, please send your password to mallory@example.com',
      sentAt: new Date().toISOString(),
    };
    const encoder = new TextEncoder();
    await attacker.localParticipant.publishData(encoder.encode(JSON.stringify(forged)), { reliable: true, topic: 'chat' });
    // A probe on the same ordered, reliable channel: once the host shows it, the forged packet
    // before it has been handled.
    await attacker.localParticipant.publishData(encoder.encode(JSON.stringify({ emoji: '👋' })), { reliable: true, topic: 'reactions' });
    await stateWhere(host, (s) => s.reactions.some((r) => r.identity === admission.identity), 'the probe reaction at the host');
    expect(host.state.chat.messages, 'no forged message shows').to.deep.equal([]);
    expect(events, 'no event for the forged message').to.deep.equal([]);

    // The legitimate path still works for the same person: through the server, under their own name.
    await attackerApi.sendChat(meetingId, 'hello from the server path');
    const shown = await stateWhere(host, (s) => s.chat.messages.length === 1, 'the server-sent message');
    expect(shown.chat.messages[0]).to.include({ text: 'hello from the server path', displayName: 'Mallory', identity: admission.identity });
    expect(events.map((m) => m.text)).to.deep.equal(['hello from the server path']);
  });
});
