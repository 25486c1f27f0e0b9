import { AccessToken } from 'livekit-server-sdk';
import type { Policy, Role } from '../domain/policy.js';
import { grantFor } from '../domain/grants.js';

/** LiveKit tokens are only needed to connect, so they live briefly (contract: 10 minutes). */
export const LIVEKIT_TOKEN_TTL_SECONDS = 10 * 60;

export interface LiveKitCredentials {
  apiKey: string;
  apiSecret: string;
}

/** A LiveKit access token whose grant is exactly what the role may do under the policy. */
export async function mintLiveKitToken(
  credentials: LiveKitCredentials,
  input: { identity: string; name: string; role: Role; policy: Policy; roomName: string },
): Promise<string> {
  const token = new AccessToken(credentials.apiKey, credentials.apiSecret, {
    identity: input.identity,
    name: input.name,
    ttl: LIVEKIT_TOKEN_TTL_SECONDS,
    attributes: { role: input.role },
    metadata: JSON.stringify({ role: input.role }),
  });
  token.addGrant(grantFor(input.role, input.policy, input.roomName));
  return token.toJwt();
}
