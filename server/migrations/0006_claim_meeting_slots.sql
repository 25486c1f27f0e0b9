-- Claims slots for several joins in one round trip and one transaction. The server gathers joins
-- that arrive together, decides each on rows it read without a lock, and sends them here as
-- parallel arrays, one element per join; the result has one row per join, `n` being its 1-based
-- position in the arrays.
--
-- Under the meeting's row lock each claim re-checks what its decision relied on and a concurrent
-- request may have changed since the read:
--   * the meeting's status: unchanged, or gone from scheduled to active (whoever was admitted to a
--     scheduled meeting is admitted to a started one; that is what the first join of a meeting
--     does, and everyone who arrived with them must not be sent back to decide again);
--   * the policy row's version (xmin): any change to the policy changes it;
--   * the caller's role (host from the meeting row, co-host from meeting_roles), which also covers
--     a change of host;
--   * the invitation, when it was the reason to skip the waiting room;
--   * the capacity.
-- If anything moved, that claim takes nothing and the server decides it again inside a locking
-- transaction. Claims run in meeting-id order so that two batches touching the same meetings take
-- the row locks in the same order and cannot deadlock each other; a later join to a meeting in
-- the same batch sees the earlier ones' slots. A plpgsql function takes a fresh snapshot for each
-- statement, so statements after a lock wait see what the previous lock holder committed.
--
-- claim_meeting_slot (0005) stays for instances of the previous release during a rolling upgrade.
CREATE FUNCTION claim_meeting_slots(
  p_meeting_ids        uuid[],
  p_statuses           text[],
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
  v_join     record;
  v_meeting  record;
  v_policy   record;
  v_role     text;
  v_occupied integer;
BEGIN
  FOR v_join IN
    SELECT j.* FROM unnest(p_meeting_ids, p_statuses, p_policy_versions, p_identities, p_user_ids,
                           p_emails, p_display_names, p_roles, p_needs_invitations)
      WITH ORDINALITY AS j(meeting_id, status, policy_version, identity, user_id, email, display_name, role, needs_invitation, n)
    ORDER BY j.meeting_id, j.n
  LOOP
    SELECT m.status, m.host_id, m.started_at, m.title INTO v_meeting FROM meetings m WHERE m.id = v_join.meeting_id FOR UPDATE;
    IF NOT FOUND OR NOT (v_meeting.status = v_join.status OR (v_join.status = 'scheduled' AND v_meeting.status = 'active')) THEN
      RETURN QUERY SELECT v_join.n::integer, false, 0, NULL::text, NULL::timestamptz, NULL::text;
      CONTINUE;
    END IF;

    SELECT p.xmin::text AS version, p.max_participants INTO v_policy FROM meeting_security_policies p WHERE p.meeting_id = v_join.meeting_id;
    v_role := CASE
      WHEN v_join.user_id IS NOT NULL AND v_join.user_id = v_meeting.host_id THEN 'host'
      ELSE coalesce((SELECT r.role FROM meeting_roles r WHERE r.meeting_id = v_join.meeting_id AND r.identity = v_join.identity), 'attendee')
    END;
    SELECT count(*) INTO v_occupied FROM meeting_participants mp
      WHERE mp.meeting_id = v_join.meeting_id AND mp.identity <> v_join.identity AND mp.left_at IS NULL
        AND (mp.state = 'present' OR mp.token_expires_at > now());

    IF v_policy.version IS DISTINCT FROM v_join.policy_version
       OR v_role <> v_join.role
       OR v_occupied >= v_policy.max_participants
       OR (v_join.needs_invitation AND NOT EXISTS (
         SELECT 1 FROM meeting_invitations i
         WHERE i.meeting_id = v_join.meeting_id AND i.status <> 'declined'
           AND ((i.user_id IS NOT NULL AND i.user_id = v_join.user_id) OR (i.email IS NOT NULL AND i.email = v_join.email))))
    THEN
      RETURN QUERY SELECT v_join.n::integer, false, 0, NULL::text, NULL::timestamptz, NULL::text;
      CONTINUE;
    END IF;

    IF v_meeting.status = 'scheduled' THEN
      UPDATE meetings SET status = 'active', started_at = now() WHERE id = v_join.meeting_id;
      v_meeting.status := 'active';
      v_meeting.started_at := now();
    END IF;
    -- Someone joining again while they still hold their slot (a reload, a second tab, a new token
    -- before the old one expired) goes on with the same participation: the row is refreshed, and
    -- keeps when they first joined.
    UPDATE meeting_participants
       SET user_id = v_join.user_id, email = v_join.email, display_name = v_join.display_name, role = v_join.role,
           state = 'granted', token_expires_at = now() + make_interval(secs => p_token_ttl_seconds)
     WHERE meeting_id = v_join.meeting_id AND identity = v_join.identity AND left_at IS NULL;
    IF NOT FOUND THEN
      INSERT INTO meeting_participants (id, meeting_id, identity, user_id, email, display_name, role, state, token_expires_at)
        VALUES (gen_random_uuid(), v_join.meeting_id, v_join.identity, v_join.user_id, v_join.email, v_join.display_name, v_join.role,
                'granted', now() + make_interval(secs => p_token_ttl_seconds));
    END IF;
    -- The channel and payload the server's MeetingEvents listens for (server/src/events/meeting-events.ts);
    -- identical notifications in one transaction are delivered once.
    PERFORM pg_notify('meeting_events', json_build_object('type', 'meeting-changed', 'meetingId', v_join.meeting_id)::text);

    RETURN QUERY SELECT v_join.n::integer, true, v_occupied + 1, v_meeting.status, v_meeting.started_at, v_meeting.title;
  END LOOP;
END;
$$;

-- Only the server, as the owner of the schema, calls it: Supabase would otherwise expose every
-- function in `public` to its API roles.
REVOKE ALL ON FUNCTION claim_meeting_slots(uuid[], text[], text[], text[], text[], text[], text[], text[], boolean[], integer) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    REVOKE ALL ON FUNCTION claim_meeting_slots(uuid[], text[], text[], text[], text[], text[], text[], text[], boolean[], integer) FROM anon, authenticated;
  END IF;
END;
$$;
