/**
 * meeting-widget/core/supabase: signs the widget in with a Supabase session, in one line:
 * `new MeetingApiClient({ baseUrl, auth: supabaseAuth(supabase) })`. Kept out of the main entry so
 * apps without Supabase never load it.
 */
import type { AuthProvider } from './api/meeting-api-client.js';

/** The part of a `@supabase/supabase-js` client this needs. */
export interface SupabaseAuthLike {
  auth: {
    getSession(): Promise<{ data: { session: { access_token: string; expires_at?: number } | null } }>;
    refreshSession(): Promise<{ data: { session: { access_token: string; expires_at?: number } | null } }>;
  };
}

/** Refreshes a session that expires within this many seconds before handing its token out. */
const REFRESH_MARGIN_S = 60;

export function supabaseAuth(client: SupabaseAuthLike, now: () => number = () => Date.now()): AuthProvider {
  return async () => {
    const { data } = await client.auth.getSession();
    const session = data.session;
    if (!session) return null;
    const expiresAt = session.expires_at;
    if (expiresAt !== undefined && expiresAt - now() / 1000 < REFRESH_MARGIN_S) {
      const refreshed = await client.auth.refreshSession();
      return refreshed.data.session?.access_token ?? null;
    }
    return session.access_token;
  };
}
