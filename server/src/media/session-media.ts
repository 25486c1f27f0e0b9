// The media parts of one session (publishing, subscribing, data channels) wired to the session and
// its room: what each reports goes to the room, the grants they check come from the session.
import type { JoinRequest, ParticipantPermission } from '@livekit/protocol';
import type { RTCPeerConnection } from 'werift';
import { DataChannels } from './data-channels.js';
import type { ParticipantSession, RoomPort } from './participant-session.js';
import { Publisher } from './publisher.js';
import type { SignalResponseMessage } from './signal-codec.js';
import { Subscriber } from './subscriber.js';

export interface SessionMedia {
  publisher: Publisher;
  subscriber: Subscriber;
  data: DataChannels;
}

export function sessionMedia(session: ParticipantSession, room: RoomPort, pc: RTCPeerConnection, joinRequest: JoinRequest, log: (line: string) => void): SessionMedia {
  const permission = (): ParticipantPermission | undefined => session.info.permission;
  const send = (message: SignalResponseMessage): void => {
    session.send(message);
  };
  const publisher = new Publisher({
    identity: session.identity,
    sid: session.sid,
    permission,
    send,
    changed: () => {
      session.tracksChanged();
    },
    trackPublished: (track) => {
      room.trackPublished(track);
    },
    trackMediaReady: (track) => {
      room.trackMediaReady(track);
    },
    trackUnpublished: (track) => {
      room.trackUnpublished(track);
    },
    audioLevel: (level) => {
      room.audioLevel(session, level);
    },
    log,
  });
  const subscriber = new Subscriber(
    {
      identity: session.identity,
      sid: session.sid,
      isClosed: () => session.isEnded,
      permission,
      send,
      trackBySid: (sid) => room.trackBySid(sid),
      maySubscribe: (track) => room.maySubscribe(session, track),
    },
    pc,
    joinRequest.connectionSettings?.autoSubscribe ?? true,
  );
  const data = new DataChannels({
    permission,
    relay: (packet, kind) => {
      room.relayData(session, packet, kind);
    },
    throttled: () => {
      session.refuse('data', 'data rate exceeded: packets dropped');
    },
  });
  return { publisher, subscriber, data };
}
