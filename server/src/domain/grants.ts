import type { VideoGrant } from 'livekit-server-sdk';
import { TrackSource } from 'livekit-server-sdk';
import { permissionsFor, type SourceName } from './permissions.js';
import type { Policy, Role } from './policy.js';

export const TRACK_SOURCES: Record<SourceName, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

/**
 * The LiveKit grant for `role` in one room under `policy`: that room only, what permissionsFor
 * allows, and no admin powers for anyone: moderation goes through this server, which checks who
 * asks, and never through a client's own token.
 */
export function grantFor(role: Role, policy: Policy, roomName: string): VideoGrant {
  const permissions = permissionsFor(role, policy);
  return {
    room: roomName,
    roomJoin: true,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    roomRecord: false,
    canPublish: true,
    canPublishSources: permissions.canPublishSources.map((source) => TRACK_SOURCES[source]),
    canPublishData: permissions.canPublishData,
    canSubscribe: true,
    canUpdateOwnMetadata: permissions.canUpdateMetadata,
    hidden: false,
  };
}
