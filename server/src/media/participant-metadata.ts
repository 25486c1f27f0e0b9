// Changing a participant's name, metadata and attributes, by the participant itself (with
// canUpdateOwnMetadata) or by the server API: within LiveKit's size limits, the name cleaned, an
// empty attribute value removing the key as in LiveKit.
import { ParticipantInfo, ParticipantInfo_State, type JoinRequest } from '@livekit/protocol';
import type { JoinClaims } from './grants.js';
import { metadataProblem, normalizeDisplayName } from './limits.js';

export interface MetadataChange {
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
}

/** Applies the change to `info`, or returns why it may not be made (and changes nothing). */
export function applyMetadataChange(info: ParticipantInfo, change: MetadataChange): string | undefined {
  const metadata = change.metadata || info.metadata;
  const attributes = mergeAttributes(info.attributes, change.attributes ?? {});
  const problem = metadataProblem(metadata, attributes);
  if (problem) return problem;
  info.metadata = metadata;
  if (change.name) info.name = normalizeDisplayName(change.name);
  info.attributes = attributes;
  return undefined;
}

export function mergeAttributes(current: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const merged = { ...current, ...changes };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
}

/**
 * A new session's participant info, from its token. What the client itself puts in its join request
 * counts only when the token lets it set its own metadata; otherwise a modified client could join
 * with any attributes it likes.
 */
export function initialParticipantInfo(sid: string, claims: JoinClaims, joinRequest: JoinRequest): ParticipantInfo {
  const now = Date.now();
  const ownMetadata = claims.permission.canUpdateMetadata ? joinRequest : undefined;
  return new ParticipantInfo({
    sid,
    identity: claims.identity,
    name: normalizeDisplayName(claims.name),
    metadata: claims.metadata || (ownMetadata?.metadata ?? ''),
    attributes: { ...ownMetadata?.participantAttributes, ...claims.attributes },
    state: ParticipantInfo_State.JOINED,
    joinedAt: BigInt(Math.floor(now / 1000)),
    joinedAtMs: BigInt(now),
    version: 1,
    permission: claims.permission,
  });
}
