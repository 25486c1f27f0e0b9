-- An e-mail address the identity provider has not verified (`email_verified: false` in the token,
-- or in Supabase's user_metadata) proves nothing: anyone can sign up with anyone's address. The
-- server already ignores such an address for domain rules and invitations; the row-level security
-- policies that match invitations by address now agree with it.

-- The caller's address when it counts, else null. A token without the claim is taken as verified
-- (identity providers that do not say, say nothing); only an explicit false withholds it.
CREATE FUNCTION public.meeting_verified_email() RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT CASE
    WHEN coalesce((SELECT auth.jwt()) -> 'email_verified' = 'false'::jsonb, false)
      OR coalesce((SELECT auth.jwt()) -> 'user_metadata' -> 'email_verified' = 'false'::jsonb, false)
    THEN NULL
    ELSE lower((SELECT auth.jwt()) ->> 'email')
  END
$fn$;
GRANT EXECUTE ON FUNCTION public.meeting_verified_email() TO anon, authenticated, service_role;

DROP POLICY invitations_read_own ON meeting_invitations;
CREATE POLICY invitations_read_own ON meeting_invitations FOR SELECT TO authenticated
  USING (
    user_id = (SELECT auth.uid())::text
    OR email = (SELECT public.meeting_verified_email())
  );

DROP POLICY meetings_read_hosted_or_invited ON meetings;
CREATE POLICY meetings_read_hosted_or_invited ON meetings FOR SELECT TO authenticated
  USING (
    host_id = (SELECT auth.uid())::text
    OR EXISTS (
      SELECT 1 FROM meeting_invitations i
      WHERE i.meeting_id = meetings.id
        AND (i.user_id = (SELECT auth.uid())::text OR i.email = (SELECT public.meeting_verified_email()))
    )
  );
