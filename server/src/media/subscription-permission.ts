// Who may subscribe to a participant's tracks (its UpdateSubscriptionPermission): everyone until it
// says otherwise, as in LiveKit.
import type { SubscriptionPermission as PermissionMessage } from '@livekit/protocol';

export class SubscriptionPermission {
  /** Undefined: everyone may subscribe. */
  private policy: PermissionMessage | undefined;

  set(permission: PermissionMessage): void {
    this.policy = permission.allParticipants ? undefined : permission;
  }

  /** Whether `viewer` may subscribe to the track `trackSid`. */
  allows(viewer: { identity: string; sid: string }, trackSid: string): boolean {
    const policy = this.policy;
    if (!policy) return true;
    return policy.trackPermissions.some(
      (p) => (p.participantIdentity === viewer.identity || p.participantSid === viewer.sid) && (p.allTracks || p.trackSids.includes(trackSid)),
    );
  }
}
