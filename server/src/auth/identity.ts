/** Who is calling, once their bearer token is verified. */
export type Caller =
  | { kind: 'user'; userId: string; email: string | null; name: string | null }
  | { kind: 'guest'; guestId: string; meetingId: string; name: string };

/** Display name from a user token: `name`, else Supabase's `user_metadata.full_name` or `name`. */
export function nameFromClaims(claims: Record<string, unknown>): string | null {
  const direct = claims.name;
  if (typeof direct === 'string' && direct.trim() !== '') return direct.trim();
  const metadata = claims.user_metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    for (const key of ['full_name', 'name'] as const) {
      const value = (metadata as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
  }
  return null;
}

export function emailFromClaims(claims: Record<string, unknown>): string | null {
  const email = claims.email;
  return typeof email === 'string' && email.includes('@') ? email.trim().toLowerCase() : null;
}
