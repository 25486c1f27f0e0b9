import { cleanDisplayName } from '../../../src/contract/display-name.js';

/** Who is calling, once their bearer token is verified. */
export type Caller =
  | { kind: 'user'; userId: string; email: string | null; name: string | null }
  | { kind: 'guest'; guestId: string; meetingId: string; name: string };

/** Display name from a user token: `name`, else Supabase's `user_metadata.full_name` or `name`, cleaned. */
export function nameFromClaims(claims: Record<string, unknown>): string | null {
  const metadata = typeof claims.user_metadata === 'object' && claims.user_metadata !== null ? (claims.user_metadata as Record<string, unknown>) : {};
  for (const value of [claims.name, metadata.full_name, metadata.name]) {
    if (typeof value !== 'string') continue;
    const name = cleanDisplayName(value);
    if (name !== '') return name;
  }
  return null;
}

/**
 * The caller's e-mail address, used for domain rules and invitations; null when the token says
 * the address was not verified (`email_verified: false`, at the top or in Supabase's
 * `user_metadata`): anyone can type any address into a sign-up form.
 */
export function emailFromClaims(claims: Record<string, unknown>): string | null {
  const email = claims.email;
  if (typeof email !== 'string' || !email.includes('@')) return null;
  const metadata = typeof claims.user_metadata === 'object' && claims.user_metadata !== null ? (claims.user_metadata as Record<string, unknown>) : {};
  if (claims.email_verified === false || metadata.email_verified === false) return null;
  return email.trim().toLowerCase();
}
