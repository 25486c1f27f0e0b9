// What a role may do in a meeting under its policy: the one definition. The server's LiveKit
// grants (server/src/domain/grants.ts), moderation's role changes and the push after a policy
// change (server/src/services/room-permissions.ts), the chat and recording routes, and the
// widget's "what my role permits" (src/core/units/abilities.ts) all call these functions, so they
// cannot disagree. Plain functions with no dependency, so the browser bundle carries them without
// any validator.
//
// The database re-checks the inputs, not the rule: the join claim (migration 0007,
// claim_meeting_slots) and listPresent re-derive each role in SQL from meetings.host_id and
// meeting_roles, and the claim refuses a join decided on a policy row that changed since it was
// read (its xmin), so a token's grant is always permissionsFor(the role, the policy) as committed.
import type { Policy } from './policy.js';

export const ROLES = ['host', 'co-host', 'attendee'] as const;
export type Role = (typeof ROLES)[number];

/** Who a feature is open to, in a policy. */
export const AUDIENCES = ['everyone', 'hosts', 'nobody'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** LiveKit's track sources by their names in a token (`TrackSource` as JSON). */
export type SourceName = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

export const isModerator = (role: Role): boolean => role === 'host' || role === 'co-host';

/** Whether `role` may use a feature that the policy opens to everyone, to hosts, or to nobody. */
export function featureAllowed(setting: Audience, role: Role): boolean {
  return setting === 'everyone' || (setting === 'hosts' && isModerator(role));
}

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

export const mayShareScreen = (role: Role, policy: Pick<Policy, 'screenShare'>): boolean => featureAllowed(policy.screenShare, role);
export const mayChat = (role: Role, policy: Pick<Policy, 'chat'>): boolean => featureAllowed(policy.chat, role);
/** Recording is for hosts and co-hosts, unless the policy turns it off. */
export const mayRecord = (role: Role, policy: Pick<Policy, 'recording'>): boolean => policy.recording === 'hosts' && isModerator(role);

/** Starting a poll, per policy.polls; everyone present may vote. */
export const mayCreatePolls = (role: Role, policy: Pick<Policy, 'polls'>): boolean => featureAllowed(policy.polls, role);

/** Opening and closing breakout rooms: hosts and co-hosts, unless the policy turns them off. */
export const mayManageBreakouts = (role: Role, policy: Pick<Policy, 'breakoutRooms'>): boolean => policy.breakoutRooms && isModerator(role);

/** The permission-related fields of the contract's default policy (policy.ts), for code that has no meeting yet. */
export const DEFAULT_POLICY_RULES: Pick<Policy, 'screenShare' | 'chat' | 'recording' | 'polls' | 'breakoutRooms'> = {
  screenShare: 'everyone',
  chat: 'everyone',
  recording: 'hosts',
  polls: 'everyone',
  breakoutRooms: true,
};

/** What `role` may publish and send in the room under `policy`. */
export function permissionsFor(role: Role, policy: Pick<Policy, 'screenShare' | 'chat'>): RoomPermissions {
  const canPublishSources: SourceName[] = ['camera', 'microphone'];
  if (mayShareScreen(role, policy)) canPublishSources.push('screen_share', 'screen_share_audio');
  return { canPublishSources, canPublishData: mayChat(role, policy), canUpdateMetadata: CLIENTS_MAY_UPDATE_OWN_METADATA };
}
