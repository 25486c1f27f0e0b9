import { DataPacket_Kind, RoomServiceClient, TrackSource, type ParticipantPermission } from 'livekit-server-sdk';
import { TRACK_SOURCES } from '../domain/grants.js';
import type { RoomPermissions } from '../domain/permissions.js';
import type { LiveKitCredentials } from './access-token.js';

/** What a moderator may mute. */
export type SourceName = 'microphone' | 'camera' | 'screen_share';

/** A session in a room, as the media server lists it. */
export interface RoomParticipant {
  identity: string;
  /** The session's id: a rejoin under the same identity gets a new one. */
  sid: string;
  /** When the session started (epoch ms), as the media server saw it; 0 when it does not say. */
  joinedAtMs: number;
}

/** What the server asks of a running LiveKit room. A port, so the routes never see the SDK. */
export interface RoomService {
  /** Delivers a reliable data packet to everyone in the room on `topic`. */
  sendData(roomName: string, payload: Uint8Array, options: { topic: string; destinationIdentities?: string[] }): Promise<void>;
  /** Mutes what `identity` publishes from `source`; false when they publish nothing from it. */
  muteSource(roomName: string, identity: string, source: SourceName): Promise<boolean>;
  /** Disconnects `identity`; false when they were not connected. */
  removeParticipant(roomName: string, identity: string): Promise<boolean>;
  /**
   * Changes what the server decides for a connected participant: attributes it sets (role, hand)
   * and what the participant may publish. False when they are not connected.
   */
  updateParticipant(roomName: string, identity: string, change: { attributes?: Record<string, string>; permissions?: RoomPermissions }): Promise<boolean>;
  /** Who is connected to the room now; empty when the room is not running. */
  listParticipants(roomName: string): Promise<RoomParticipant[]>;
  /** Makes sure the room exists (LiveKit's CreateRoom is idempotent), so tokens for it can connect. */
  createRoom(roomName: string): Promise<void>;
  /** Is `identity` connected to the room right now? */
  isConnected(roomName: string, identity: string): Promise<boolean>;
  /** Closes the room for everyone; false when it was not running. */
  deleteRoom(roomName: string): Promise<boolean>;
}

/** LiveKit's server API lives on the same host as its WebSocket, over HTTP(S). */
export function apiUrlOf(livekitUrl: string): string {
  return livekitUrl.replace(/^ws(s?):\/\//, 'http$1://');
}

const SOURCES: Record<SourceName, TrackSource> = {
  microphone: TrackSource.MICROPHONE,
  camera: TrackSource.CAMERA,
  screen_share: TrackSource.SCREEN_SHARE,
};

/** LiveKit answers Twirp `not_found` for a room or participant that is not there: not a failure here. */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ((error as { status?: number }).status === 404 || (error as { code?: string }).code === 'not_found');
}

async function unlessMissing(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export function liveKitRoomService(url: string, credentials: LiveKitCredentials): RoomService {
  const client = new RoomServiceClient(apiUrlOf(url), credentials.apiKey, credentials.apiSecret, { requestTimeout: 5 });
  return {
    async sendData(roomName, payload, options) {
      await client.sendData(roomName, payload, DataPacket_Kind.RELIABLE, {
        topic: options.topic,
        ...(options.destinationIdentities === undefined ? {} : { destinationIdentities: options.destinationIdentities }),
      });
    },
    async muteSource(roomName, identity, source) {
      let tracks: Array<{ sid: string; source: TrackSource; muted: boolean }>;
      try {
        tracks = (await client.getParticipant(roomName, identity)).tracks;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      const wanted = tracks.filter((t) => t.source === SOURCES[source]);
      for (const track of wanted) if (!track.muted) await client.mutePublishedTrack(roomName, identity, track.sid, true);
      return wanted.length > 0;
    },
    removeParticipant(roomName, identity) {
      return unlessMissing(() => client.removeParticipant(roomName, identity));
    },
    updateParticipant(roomName, identity, change) {
      const permission: Partial<ParticipantPermission> | undefined =
        change.permissions === undefined
          ? undefined
          : {
              canSubscribe: true,
              canPublish: true,
              canPublishData: change.permissions.canPublishData,
              canPublishSources: change.permissions.canPublishSources.map((source) => TRACK_SOURCES[source]),
              canUpdateMetadata: change.permissions.canUpdateMetadata,
            };
      return unlessMissing(() =>
        client.updateParticipant(roomName, identity, {
          ...(change.attributes === undefined ? {} : { attributes: change.attributes }),
          ...(permission === undefined ? {} : { permission }),
        }),
      );
    },
    async listParticipants(roomName) {
      try {
        return (await client.listParticipants(roomName)).map((p) => ({ identity: p.identity, sid: p.sid, joinedAtMs: Number(p.joinedAtMs) || Number(p.joinedAt) * 1000 }));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    },
    async createRoom(roomName) {
      await client.createRoom({ name: roomName });
    },
    isConnected(roomName, identity) {
      return unlessMissing(() => client.getParticipant(roomName, identity));
    },
    deleteRoom(roomName) {
      return unlessMissing(() => client.deleteRoom(roomName));
    },
  };
}
