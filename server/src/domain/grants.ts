import type { VideoGrant } from 'livekit-server-sdk';
import { TrackSource } from 'livekit-server-sdk';
import { featureAllowed, isModerator, type Policy, type Role } from './policy.js';

/**
 * The LiveKit grant for `role` in one room under `policy`: that room only, admin powers for
 * moderators only, screen share and data (chat) only where the policy allows them for the role.
 */
export function grantFor(role: Role, policy: Policy, roomName: string): VideoGrant {
  const sources = [TrackSource.CAMERA, TrackSource.MICROPHONE];
  if (featureAllowed(policy.screenShare, role)) sources.push(TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO);
  return {
    room: roomName,
    roomJoin: true,
    roomAdmin: isModerator(role),
    roomCreate: false,
    roomList: false,
    roomRecord: false,
    canPublish: true,
    canPublishSources: sources,
    canPublishData: featureAllowed(policy.chat, role),
    canSubscribe: true,
    canUpdateOwnMetadata: true,
    hidden: false,
  };
}
