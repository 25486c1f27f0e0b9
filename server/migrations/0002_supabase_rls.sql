-- Row-level security as a Supabase project runs it. On Supabase the roles and the auth schema
-- already exist and belong to Supabase, so each piece below is created only when it is missing:
-- elsewhere (plain PostgreSQL, PGlite) this file provides the same roles and an auth shim that
-- reads the claims PostgREST sets per request, so the policies can be tested exactly as they run.

DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN BYPASSRLS;
  END IF;
END
$roles$;

CREATE SCHEMA IF NOT EXISTS auth;

DO $shim$
BEGIN
  IF to_regprocedure('auth.jwt()') IS NULL THEN
    CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $fn$
      SELECT coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $fn$;
  END IF;
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $fn$
      SELECT nullif(coalesce(
        current_setting('request.jwt.claim.sub', true),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
      ), '')::uuid
    $fn$;
  END IF;
  IF to_regprocedure('auth.role()') IS NULL THEN
    CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $fn$
      SELECT nullif(coalesce(
        current_setting('request.jwt.claim.role', true),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
      ), '')
    $fn$;
  END IF;
  BEGIN
    GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
    GRANT EXECUTE ON FUNCTION auth.jwt(), auth.uid(), auth.role() TO anon, authenticated, service_role;
  EXCEPTION WHEN insufficient_privilege THEN
    NULL; -- Supabase already grants these, and its auth schema is not ours to change.
  END;
END
$shim$;

ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_security_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_waiting ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_chat_messages ENABLE ROW LEVEL SECURITY;

-- Signed-in users read; only the server (the owner, or service_role) writes: no write grants here.
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT SELECT ON meetings, meeting_security_policies, meeting_invitations TO authenticated;
GRANT ALL ON ALL TABLES IN SCHEMA public TO service_role;

-- An invitation is addressed to a user id or to an e-mail address.
CREATE POLICY invitations_read_own ON meeting_invitations FOR SELECT TO authenticated
  USING (
    user_id = (SELECT auth.uid())::text
    OR email = lower((SELECT auth.jwt()) ->> 'email')
  );

CREATE POLICY meetings_read_hosted_or_invited ON meetings FOR SELECT TO authenticated
  USING (
    host_id = (SELECT auth.uid())::text
    OR EXISTS (
      SELECT 1 FROM meeting_invitations i
      WHERE i.meeting_id = meetings.id
        AND (i.user_id = (SELECT auth.uid())::text OR i.email = lower((SELECT auth.jwt()) ->> 'email'))
    )
  );

CREATE POLICY policies_read_with_meeting ON meeting_security_policies FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM meetings m WHERE m.id = meeting_security_policies.meeting_id));
