// Turns a verified LiveKit token into what the media server enforces.
import { ParticipantPermission, TrackSource } from '@livekit/protocol';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';

export class GrantError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
  }
}

const SOURCE_NAMES: Record<string, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

function sourceOf(value: unknown): TrackSource | undefined {
  if (typeof value === 'number') return SOURCE_NAMES[TrackSource[value]?.toLowerCase() ?? ''];
  if (typeof value === 'string') return SOURCE_NAMES[value.toLowerCase()];
  return undefined;
}

export interface JoinClaims {
  identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  room: string;
  permission: ParticipantPermission;
  roomAdmin: boolean;
}

export async function verifyToken(verifier: TokenVerifier, token: string | null): Promise<ClaimGrants> {
  if (!token) throw new GrantError('missing access token', 401);
  try {
    return await verifier.verify(token);
  } catch (error) {
    throw new GrantError(`invalid access token: ${(error as Error).message}`, 401);
  }
}

/** What a token lets its holder do in a room; it must carry `roomJoin` and name the room. */
export function joinClaimsOf(claims: ClaimGrants): JoinClaims {
  const video = claims.video ?? {};
  if (!video.roomJoin) throw new GrantError('token does not grant roomJoin', 403);
  if (!video.room) throw new GrantError('token does not name a room', 403);
  const identity = claims.sub ?? '';
  if (!identity) throw new GrantError('token has no identity', 401);
  const rawSources: unknown[] = Array.isArray(video.canPublishSources) ? video.canPublishSources : [];
  const sources = rawSources.map(sourceOf).filter((s): s is TrackSource => s !== undefined);
  return {
    identity,
    name: claims.name ?? '',
    metadata: claims.metadata ?? '',
    attributes: claims.attributes ?? {},
    room: video.room,
    roomAdmin: video.roomAdmin === true,
    permission: new ParticipantPermission({
      canSubscribe: video.canSubscribe ?? true,
      canPublish: video.canPublish ?? true,
      canPublishData: video.canPublishData ?? true,
      canPublishSources: sources,
      hidden: video.hidden ?? false,
      recorder: video.recorder ?? false,
      canUpdateMetadata: video.canUpdateOwnMetadata ?? false,
    }),
  };
}

/** An empty source list means every source, as in LiveKit. */
export function mayPublishSource(permission: ParticipantPermission, source: TrackSource): boolean {
  if (!permission.canPublish) return false;
  return permission.canPublishSources.length === 0 || permission.canPublishSources.includes(source);
}
