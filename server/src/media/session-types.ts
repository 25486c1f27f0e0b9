// What a participant session needs from its room and its server, and what it reports.
import type { DataPacket, DataPacket_Kind, ParticipantInfo, Room as RoomInfo } from '@livekit/protocol';
import type { ParticipantSession } from './participant-session.js';
import type { PeerOptions } from './peer.js';
import type { PublishedTrack, PublishedTrackStats } from './published-track.js';
import type { SlotStats } from './subscriber.js';

/** What a session needs from its room. */
export interface RoomPort {
  readonly name: string;
  roomInfo(): RoomInfo;
  visibleOthers(session: ParticipantSession): ParticipantInfo[];
  publishedTracks(except: ParticipantSession): PublishedTrack[];
  trackBySid(sid: string): PublishedTrack | undefined;
  /** Whether `viewer` may subscribe to `track`, by its publisher's subscription permission. */
  maySubscribe(viewer: ParticipantSession, track: PublishedTrack): boolean;
  subscriptionPermissionChanged(publisher: ParticipantSession): void;
  participantChanged(session: ParticipantSession): void;
  trackPublished(track: PublishedTrack): void;
  trackMediaReady(track: PublishedTrack): void;
  trackUnpublished(track: PublishedTrack): void;
  relayData(from: ParticipantSession, packet: DataPacket, kind: DataPacket_Kind): void;
  audioLevel(session: ParticipantSession, level: number): void;
  sessionEnded(session: ParticipantSession): void;
}

/** What one session publishes and receives, for the debug endpoint and the leave log. */
export interface SessionStats {
  sid: string;
  identity: string;
  state: string;
  publishes: PublishedTrackStats[];
  wanted: string[];
  receives: SlotStats[];
}

export interface SessionOptions extends PeerOptions {
  log: (line: string) => void;
  /** Counts a request the server refused to act on, by message case. */
  refused?: (what: string) => void;
}
