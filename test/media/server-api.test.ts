import { expect } from '@open-wc/testing';
import { DisconnectReason, RoomEvent, Track, type Room } from 'livekit-client';
import { joinRoom, mediaAdmin, until, useMediaServer, webhooks } from '../support/media-client.js';

describe('embedded media server: livekit-server-sdk against live participants', function () {
  this.timeout(30000);
  const media = useMediaServer({ perTest: true });

  async function join(identity: string, grant: Record<string, unknown> = {}): Promise<Room> {
    const joined = await joinRoom(media.url, { room: 'api', identity, grant });
    media.rooms.push(joined);
    return joined;
  }

  it('lists participants and their tracks, and mutes a published track', async () => {
    const host = await join('host');
    const guest = await join('guest');
    await guest.localParticipant.setMicrophoneEnabled(true);
    const listed = await mediaAdmin<Array<{ identity: string; tracks: Array<{ sid: string; muted: boolean }> }>>({
      method: 'listParticipants',
      room: 'api',
    });
    expect(listed.map((p) => p.identity).sort()).to.deep.equal(['guest', 'host']);
    const micSid = listed.find((p) => p.identity === 'guest')!.tracks[0]!.sid;
    const muted = await mediaAdmin({ method: 'mutePublishedTrack', room: 'api', identity: 'guest', trackSid: micSid, muted: true });
    expect(muted).to.equal(true);
    const localMic = () => guest.localParticipant.getTrackPublication(Track.Source.Microphone);
    await until(guest, () => localMic()?.isMuted === true, 'the guest client to mute itself');
    const remoteMic = () => host.remoteParticipants.get('guest')?.getTrackPublication(Track.Source.Microphone);
    await until(host, () => remoteMic()?.isMuted === true, 'the host to see the guest muted');
  });

  it('removes a participant, who learns why', async () => {
    const host = await join('host');
    const guest = await join('guest');
    await until(host, () => host.remoteParticipants.has('guest'), 'host to see guest');
    const reason = new Promise<DisconnectReason | undefined>((resolve) => guest.once(RoomEvent.Disconnected, resolve));
    expect(await mediaAdmin({ method: 'removeParticipant', room: 'api', identity: 'guest' })).to.equal(true);
    expect(await reason).to.equal(DisconnectReason.PARTICIPANT_REMOVED);
    await until(host, () => !host.remoteParticipants.has('guest'), 'host to see guest gone');
  });

  it('updates metadata and permissions; revoking canPublish unpublishes', async () => {
    const host = await join('host');
    const guest = await join('guest');
    await guest.localParticipant.setMicrophoneEnabled(true);
    await until(host, () => host.remoteParticipants.get('guest')?.getTrackPublication(Track.Source.Microphone) !== undefined, 'host to see the mic');
    const updated = await mediaAdmin<{ metadata: string; canPublish: boolean }>({
      method: 'updateParticipant',
      room: 'api',
      identity: 'guest',
      metadata: '{"role":"attendee"}',
      canPublish: false,
    });
    expect(updated).to.deep.equal({ metadata: '{"role":"attendee"}', canPublish: false });
    await until(guest, () => guest.localParticipant.permissions?.canPublish === false, 'guest to learn its permissions');
    expect(guest.localParticipant.metadata).to.equal('{"role":"attendee"}');
    await until(host, () => host.remoteParticipants.get('guest')?.getTrackPublication(Track.Source.Microphone) === undefined, 'mic to be unpublished');
  });

  it('sends data to the addressed participants only', async () => {
    const a = await join('a');
    const b = await join('b');
    const got: string[] = [];
    a.on(RoomEvent.DataReceived, (payload, _from, _kind, topic) => got.push(`a:${topic ?? ''}:${new TextDecoder().decode(payload)}`));
    b.on(RoomEvent.DataReceived, (payload, _from, _kind, topic) => got.push(`b:${topic ?? ''}:${new TextDecoder().decode(payload)}`));
    await mediaAdmin({ method: 'sendData', room: 'api', text: 'hello b', topic: 'chat', destinationIdentities: ['b'] });
    await mediaAdmin({ method: 'sendData', room: 'api', text: 'hello all', topic: 'chat' });
    await until(a, () => got.length === 3, 'three deliveries');
    expect(got.sort()).to.deep.equal(['a:chat:hello all', 'b:chat:hello all', 'b:chat:hello b']);
  });

  it('answers calls on missing rooms and participants as LiveKit does', async () => {
    const missing = await mediaAdmin<{ error: { status: number; code: string } }>({ method: 'removeParticipant', room: 'nowhere', identity: 'x' });
    expect(missing.error.status).to.equal(404);
    expect(missing.error.code).to.equal('not_found');
  });

  it('sends signed webhooks that WebhookReceiver verifies', async () => {
    const a = await join('hook-a');
    await a.localParticipant.setMicrophoneEnabled(true);
    await a.disconnect();
    expect(await mediaAdmin({ method: 'deleteRoom', room: 'api' })).to.equal(true);
    const { received, rejected } = await webhooks();
    expect(rejected).to.equal(0);
    const events = received.map((e) => `${e.event}${e.identity ? `:${e.identity}` : ''}`);
    expect(events).to.include.members(['room_started', 'participant_joined:hook-a', 'track_published:hook-a', 'participant_left:hook-a', 'room_finished']);
    expect(events.indexOf('participant_joined:hook-a')).to.be.lessThan(events.indexOf('participant_left:hook-a'));
  });
});
