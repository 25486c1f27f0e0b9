-- Claims a slot in a meeting in one round trip, so the meeting row stays locked for a fraction of
-- a millisecond instead of for a dozen client round trips. The server decides admission on rows
-- it read without a lock, then calls this with the row versions (xmin) it decided on. Under the
-- lock the function re-checks everything the decision relied on that a concurrent request may have
-- changed: the meeting and policy rows (any update gives them a new xmin), the caller's role, the
-- invitation when it was the reason to skip the waiting room, and the capacity. If anything moved,
-- it claims nothing and the server falls back to deciding again inside a locking transaction.
--
-- A VOLATILE plpgsql function takes a fresh snapshot for each statement, so the statements after
-- the lock see whatever the previous holder of the lock committed.
CREATE FUNCTION claim_meeting_slot(
  p_meeting_id        uuid,
  p_meeting_version   text,
  p_policy_version    text,
  p_identity          text,
  p_user_id           text,
  p_email             text,
  p_display_name      text,
  p_role              text,
  p_needs_invitation  boolean,
  p_token_ttl_seconds integer
) RETURNS TABLE (claimed boolean, participant_count integer, status text, started_at timestamptz, title text)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_meeting  record;
  v_policy   record;
  v_role     text;
  v_occupied integer;
BEGIN
  SELECT m.xmin::text AS version, m.status, m.host_id, m.started_at, m.title
    INTO v_meeting FROM meetings m WHERE m.id = p_meeting_id FOR UPDATE;
  IF NOT FOUND OR v_meeting.version <> p_meeting_version THEN
    RETURN QUERY SELECT false, 0, NULL::text, NULL::timestamptz, NULL::text;
    RETURN;
  END IF;

  SELECT p.xmin::text AS version, p.max_participants INTO v_policy FROM meeting_security_policies p WHERE p.meeting_id = p_meeting_id;
  v_role := CASE
    WHEN p_user_id IS NOT NULL AND p_user_id = v_meeting.host_id THEN 'host'
    ELSE coalesce((SELECT r.role FROM meeting_roles r WHERE r.meeting_id = p_meeting_id AND r.identity = p_identity), 'attendee')
  END;
  SELECT count(*) INTO v_occupied FROM meeting_participants mp
    WHERE mp.meeting_id = p_meeting_id AND mp.identity <> p_identity AND mp.left_at IS NULL
      AND (mp.state = 'present' OR mp.token_expires_at > now());

  IF v_policy.version IS DISTINCT FROM p_policy_version
     OR v_role <> p_role
     OR v_occupied >= v_policy.max_participants
     OR (p_needs_invitation AND NOT EXISTS (
       SELECT 1 FROM meeting_invitations i
       WHERE i.meeting_id = p_meeting_id AND i.status <> 'declined'
         AND ((i.user_id IS NOT NULL AND i.user_id = p_user_id) OR (i.email IS NOT NULL AND i.email = p_email))))
  THEN
    RETURN QUERY SELECT false, 0, NULL::text, NULL::timestamptz, NULL::text;
    RETURN;
  END IF;

  IF v_meeting.status = 'scheduled' THEN
    UPDATE meetings SET status = 'active', started_at = now() WHERE id = p_meeting_id;
    v_meeting.status := 'active';
    v_meeting.started_at := now();
  END IF;
  UPDATE meeting_participants SET state = 'left', left_at = now()
    WHERE meeting_id = p_meeting_id AND identity = p_identity AND left_at IS NULL;
  INSERT INTO meeting_participants (id, meeting_id, identity, user_id, email, display_name, role, state, token_expires_at)
    VALUES (gen_random_uuid(), p_meeting_id, p_identity, p_user_id, p_email, p_display_name, p_role, 'granted',
            now() + make_interval(secs => p_token_ttl_seconds));
  -- The channel and payload the server's MeetingEvents listens for (server/src/events/meeting-events.ts).
  PERFORM pg_notify('meeting_events', json_build_object('type', 'meeting-changed', 'meetingId', p_meeting_id)::text);

  RETURN QUERY SELECT true, v_occupied + 1, v_meeting.status, v_meeting.started_at, v_meeting.title;
END;
$$;

-- Only the server, as the owner of the schema, calls it: Supabase would otherwise expose every
-- function in `public` to its API roles.
REVOKE ALL ON FUNCTION claim_meeting_slot(uuid, text, text, text, text, text, text, text, boolean, integer) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    REVOKE ALL ON FUNCTION claim_meeting_slot(uuid, text, text, text, text, text, text, text, boolean, integer) FROM anon, authenticated;
  END IF;
END;
$$;
