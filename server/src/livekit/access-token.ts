import { AccessToken } from 'livekit-server-sdk';
import type { Policy, Role } from '../domain/policy.js';
import { grantFor } from '../domain/grants.js';

/**
 * LiveKit tokens are only needed to connect, so they live as briefly as a connect needs: a
 * removed or ended participant's token is useless within this time. The seat a token was granted
 * for is held as long (SEAT_HOLD_SECONDS, see config.ts); this is its default.
 */
export const LIVEKIT_TOKEN_TTL_SECONDS = 60;

export interface LiveKitCredentials {
  apiKey: string;
  apiSecret: string;
}

/** A LiveKit access token whose grant is exactly what the role may do under the policy. */
export async function mintLiveKitToken(
  credentials: LiveKitCredentials,
  input: { identity: string; name: string; role: Role; policy: Policy; roomName: string; ttlSeconds?: number },
): Promise<string> {
  const token = new AccessToken(credentials.apiKey, credentials.apiSecret, {
    identity: input.identity,
    name: input.name,
    ttl: input.ttlSeconds ?? LIVEKIT_TOKEN_TTL_SECONDS,
    attributes: { role: input.role },
    metadata: JSON.stringify({ role: input.role }),
  });
  token.addGrant(grantFor(input.role, input.policy, input.roomName));
  return token.toJwt();
}
