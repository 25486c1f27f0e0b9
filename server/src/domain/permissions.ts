// The one rule for what a role may do in the room under a policy. Token grants, moderation's role
// changes and the push after a policy change all take it from here, so they can never disagree.
import { featureAllowed, type Policy, type Role } from './policy.js';

/** LiveKit's track sources by their names in a token (`TrackSource` as JSON). */
export type SourceName = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

export interface RoomPermissions {
  /** What the role may publish; sharing a screen includes its sound. */
  canPublishSources: SourceName[];
  /** Data packets (chat and reactions travel as data). */
  canPublishData: boolean;
  /**
   * Whether the participant's own client may change its name, metadata and attributes. Never: the
   * server sets the role and hand attributes, and names come from the join (contract v1.1).
   */
  canUpdateMetadata: boolean;
}

/** Whether clients may set their own metadata and attributes. Off: see RoomPermissions. */
export const CLIENTS_MAY_UPDATE_OWN_METADATA = false;

export function permissionsFor(role: Role, policy: Policy): RoomPermissions {
  const canPublishSources: SourceName[] = ['camera', 'microphone'];
  if (featureAllowed(policy.screenShare, role)) canPublishSources.push('screen_share', 'screen_share_audio');
  return { canPublishSources, canPublishData: featureAllowed(policy.chat, role), canUpdateMetadata: CLIENTS_MAY_UPDATE_OWN_METADATA };
}
