-- Claims slots for several joins in one round trip and one transaction (see 0005 for what a claim
-- checks). The server gathers joins that arrive together and sends them here as parallel arrays,
-- one element per join; the result has one row per join, `n` being its 1-based position.
--
-- Claims run in meeting-id order so that two batches touching the same meetings take their row
-- locks in the same order and cannot deadlock each other. Locks are held until the batch commits;
-- a second join to the same meeting in the same batch sees the first one's slot.
CREATE FUNCTION claim_meeting_slots(
  p_meeting_ids        uuid[],
  p_meeting_versions   text[],
  p_policy_versions    text[],
  p_identities         text[],
  p_user_ids           text[],
  p_emails             text[],
  p_display_names      text[],
  p_roles              text[],
  p_needs_invitations  boolean[],
  p_token_ttl_seconds  integer
) RETURNS TABLE (n integer, claimed boolean, participant_count integer, status text, started_at timestamptz, title text)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_join record;
BEGIN
  FOR v_join IN
    SELECT j.* FROM unnest(p_meeting_ids, p_meeting_versions, p_policy_versions, p_identities, p_user_ids,
                           p_emails, p_display_names, p_roles, p_needs_invitations)
      WITH ORDINALITY AS j(meeting_id, meeting_version, policy_version, identity, user_id, email, display_name, role, needs_invitation, n)
    ORDER BY j.meeting_id, j.n
  LOOP
    RETURN QUERY SELECT v_join.n::integer, c.* FROM claim_meeting_slot(
      v_join.meeting_id, v_join.meeting_version, v_join.policy_version, v_join.identity, v_join.user_id,
      v_join.email, v_join.display_name, v_join.role, v_join.needs_invitation, p_token_ttl_seconds) AS c;
  END LOOP;
END;
$$;

REVOKE ALL ON FUNCTION claim_meeting_slots(uuid[], text[], text[], text[], text[], text[], text[], text[], boolean[], integer) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    REVOKE ALL ON FUNCTION claim_meeting_slots(uuid[], text[], text[], text[], text[], text[], text[], text[], boolean[], integer) FROM anon, authenticated;
  END IF;
END;
$$;
