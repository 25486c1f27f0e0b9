-- Revocation that holds (issue 12).
--
-- meeting_removals: who a host or co-host removed from a meeting, by participant identity (u_<user
-- id> for a signed-in user, g_<guest id> for a guest token). A removed identity is refused with
-- ADMISSION_DENIED on join and in the waiting room until a host lifts the removal
-- (DELETE /meetings/:id/removals/:identity), which deletes the row.
CREATE TABLE meeting_removals (
  meeting_id    uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  identity      text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  user_id       text CHECK (user_id IS NULL OR char_length(user_id) BETWEEN 1 AND 255),
  display_name  text NOT NULL,
  removed_by    text NOT NULL,
  removed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, identity)
);
ALTER TABLE meeting_removals ENABLE ROW LEVEL SECURITY;

-- A waiting-room entry hands out one LiveKit token, once: a replayed waitingId gets nothing more.
ALTER TABLE meeting_waiting ADD COLUMN token_issued_at timestamptz;

-- Where an anonymous join came from, so one address cannot hold every seat of a meeting.
ALTER TABLE meeting_participants ADD COLUMN client_ip text CHECK (client_ip IS NULL OR char_length(client_ip) <= 64);
CREATE INDEX meeting_participants_live_ip_idx ON meeting_participants (meeting_id, client_ip) WHERE left_at IS NULL AND client_ip IS NOT NULL;

-- claim_meeting_slots as in 0007, plus one re-check under the lock: nobody removed from the
-- meeting is claimed a slot, whatever the server's (possibly remembered) snapshot said.
CREATE OR REPLACE FUNCTION claim_meeting_slots(
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
BEGIN
  PERFORM 1 FROM meetings m WHERE m.id = ANY (p_meeting_ids) ORDER BY m.id FOR UPDATE;

  RETURN QUERY
  WITH joins AS (
    SELECT j.* FROM unnest(p_meeting_ids, p_statuses, p_policy_versions, p_identities, p_user_ids,
                           p_emails, p_display_names, p_roles, p_needs_invitations)
      WITH ORDINALITY AS j(meeting_id, status, policy_version, identity, user_id, email, display_name, role, needs_invitation, n)
  ),
  holders AS (
    SELECT mp.meeting_id, mp.identity FROM meeting_participants mp
     WHERE mp.meeting_id = ANY (p_meeting_ids) AND mp.left_at IS NULL
       AND (mp.state = 'present' OR mp.token_expires_at > now())
  ),
  occupancy AS (
    SELECT h.meeting_id, count(*) AS held FROM holders h GROUP BY h.meeting_id
  ),
  eligible AS (
    SELECT j.*, m.status AS meeting_status, m.started_at AS meeting_started_at, m.title AS meeting_title,
           p.max_participants,
           coalesce(o.held, 0) AS held_before,
           h.identity IS NOT NULL AS was_holding
      FROM joins j
      JOIN meetings m ON m.id = j.meeting_id
      JOIN meeting_security_policies p ON p.meeting_id = j.meeting_id
      LEFT JOIN meeting_roles r ON r.meeting_id = j.meeting_id AND r.identity = j.identity
      LEFT JOIN occupancy o ON o.meeting_id = j.meeting_id
      LEFT JOIN holders h ON h.meeting_id = j.meeting_id AND h.identity = j.identity
     WHERE (m.status = j.status OR (j.status = 'scheduled' AND m.status = 'active'))
       -- Removed from this meeting: never claimed, the locking path answers ADMISSION_DENIED.
       AND NOT EXISTS (SELECT 1 FROM meeting_removals x WHERE x.meeting_id = j.meeting_id AND x.identity = j.identity)
       AND p.xmin::text = j.policy_version
       AND j.role = CASE WHEN j.user_id IS NOT NULL AND j.user_id = m.host_id THEN 'host' ELSE coalesce(r.role, 'attendee') END
       AND (NOT j.needs_invitation OR EXISTS (
         SELECT 1 FROM meeting_invitations i
          WHERE i.meeting_id = j.meeting_id AND i.status <> 'declined'
            AND ((i.user_id IS NOT NULL AND i.user_id = j.user_id) OR (i.email IS NOT NULL AND i.email = j.email))))
  ),
  -- A newcomer's first join in the batch gets its rank among the meeting's newcomers.
  firsts AS (
    SELECT e.*, (NOT e.was_holding AND e.n = min(e.n) OVER (PARTITION BY e.meeting_id, e.identity)) AS first_as_newcomer
      FROM eligible e
  ),
  ranked AS (
    SELECT f.*,
           count(*) FILTER (WHERE f.first_as_newcomer) OVER (PARTITION BY f.meeting_id ORDER BY f.n) AS newcomer_rank
      FROM firsts f
  ),
  counted AS (
    SELECT k.*,
           -- Newcomers counted in before this join: those ranked before it, up to the free seats.
           least(greatest(k.max_participants - k.held_before, 0),
                 k.newcomer_rank - (CASE WHEN k.first_as_newcomer THEN 1 ELSE 0 END)) AS admitted_before,
           -- Whether this person already holds a seat when this join is decided.
           k.was_holding OR (NOT k.first_as_newcomer AND
             max(CASE WHEN k.first_as_newcomer THEN k.newcomer_rank END) OVER (PARTITION BY k.meeting_id, k.identity)
               <= k.max_participants - k.held_before) AS seated
      FROM ranked k
  ),
  decided AS (
    SELECT c.*, c.held_before + c.admitted_before - (CASE WHEN c.seated THEN 1 ELSE 0 END) AS others
      FROM counted c
  ),
  admitted AS (
    SELECT d.* FROM decided d WHERE d.others < d.max_participants
  ),
  started AS (
    UPDATE meetings m SET status = 'active', started_at = now()
     WHERE m.id IN (SELECT a.meeting_id FROM admitted a) AND m.status = 'scheduled'
  ),
  -- Someone joining again while they still hold their slot goes on with the same participation:
  -- the row is refreshed and keeps when they first joined. The last of their joins in the batch
  -- gives the values, as if the joins had been made one after the other.
  latest AS (
    SELECT DISTINCT ON (a.meeting_id, a.identity) a.* FROM admitted a ORDER BY a.meeting_id, a.identity, a.n DESC
  ),
  refreshed AS (
    UPDATE meeting_participants mp
       SET user_id = l.user_id, email = l.email, display_name = l.display_name, role = l.role,
           state = 'granted', token_expires_at = now() + make_interval(secs => p_token_ttl_seconds)
      FROM latest l
     WHERE mp.meeting_id = l.meeting_id AND mp.identity = l.identity AND mp.left_at IS NULL
    RETURNING mp.meeting_id, mp.identity
  ),
  added AS (
    INSERT INTO meeting_participants (id, meeting_id, identity, user_id, email, display_name, role, state, token_expires_at)
    SELECT gen_random_uuid(), l.meeting_id, l.identity, l.user_id, l.email, l.display_name, l.role,
           'granted', now() + make_interval(secs => p_token_ttl_seconds)
      FROM latest l
     WHERE NOT EXISTS (SELECT 1 FROM refreshed r WHERE r.meeting_id = l.meeting_id AND r.identity = l.identity)
  ),
  -- The channel and payload the server's MeetingEvents listens for (server/src/events/meeting-events.ts).
  -- A plain CTE runs only when read, hence the count the final SELECT reads.
  notified AS (
    SELECT count(pg_notify('meeting_events', json_build_object('type', 'meeting-changed', 'meetingId', x.meeting_id)::text)) AS sent
      FROM (SELECT DISTINCT a.meeting_id FROM admitted a) x
  )
  SELECT j.n::integer,
         a.n IS NOT NULL,
         coalesce(a.others + 1, 0)::integer,
         CASE WHEN a.n IS NULL THEN NULL WHEN a.meeting_status = 'scheduled' THEN 'active' ELSE a.meeting_status END,
         CASE WHEN a.n IS NULL THEN NULL WHEN a.meeting_status = 'scheduled' THEN now() ELSE a.meeting_started_at END,
         a.meeting_title
    FROM joins j
    LEFT JOIN admitted a ON a.n = j.n
   CROSS JOIN notified
   ORDER BY j.n;
END;
$$;
