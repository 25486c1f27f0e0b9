-- Identity continuity (issue 18): LiveKit's join and leave reports are reconciled by the session
-- they are about, not by when they arrive. A rejoin under the same identity (a reload, a network
-- change) starts a new session; the old session's leave, arriving late, must not free the seat the
-- new one holds.
--   session_sid / session_started_at: the LiveKit session last seen joining with this seat
--     (participant.sid, participant.joinedAtMs);
--   granted_at: when the seat last got a token; a leave of a session that started before the
--     latest grant means its holder is on their way back with the new token: the seat stays held;
--   left_by_session: the session whose leave freed the seat, so a join of a newer session arriving
--     just after it can take the seat back.
ALTER TABLE meeting_participants
  ADD COLUMN session_sid text,
  ADD COLUMN session_started_at timestamptz,
  ADD COLUMN granted_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN left_by_session text;

-- Every grant (a new token: the server's grantSlot and claim_meeting_slots both move
-- token_expires_at) records its time, whichever statement made it.
CREATE FUNCTION meeting_participants_note_grant() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.token_expires_at IS DISTINCT FROM OLD.token_expires_at THEN
    NEW.granted_at := now();
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER meeting_participants_note_grant BEFORE UPDATE ON meeting_participants
  FOR EACH ROW EXECUTE FUNCTION meeting_participants_note_grant();
