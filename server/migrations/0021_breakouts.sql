-- Breakout rooms (issue 17, contract v1.1).
--
-- Whether hosts may open them is a policy field.
ALTER TABLE meeting_security_policies ADD COLUMN breakout_rooms boolean NOT NULL DEFAULT true;

-- One session of breakout rooms: opened by a host or co-host, closed by one of them, by its timer
-- (closes_at, so a restart loses no timer: the sweep and every read close a session that is due)
-- or by the end of the meeting. At most one is open per meeting at a time.
-- rooms_deleted_at: the breakout rooms were deleted on the media server, a short grace after the
-- close (so the people in them hear they are going back first); until then the sweep retries.
CREATE TABLE meeting_breakouts (
  id                uuid PRIMARY KEY,
  meeting_id        uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by         text NOT NULL CHECK (char_length(opened_by) BETWEEN 1 AND 128),
  opens_at          timestamptz NOT NULL DEFAULT now(),
  closes_at         timestamptz,
  closed_at         timestamptz,
  rooms_deleted_at  timestamptz,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX meeting_breakouts_one_open ON meeting_breakouts (meeting_id) WHERE status = 'open';
CREATE INDEX meeting_breakouts_meeting_idx ON meeting_breakouts (meeting_id, opens_at DESC);
CREATE INDEX meeting_breakouts_due_idx ON meeting_breakouts (closes_at) WHERE status = 'open';

-- Each breakout room is its own media-server room, named after the meeting's room and its own id.
CREATE TABLE meeting_breakout_rooms (
  id           uuid PRIMARY KEY,
  breakout_id  uuid NOT NULL REFERENCES meeting_breakouts (id) ON DELETE CASCADE,
  meeting_id   uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position BETWEEN 0 AND 49),
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  room_name    text NOT NULL UNIQUE,
  UNIQUE (breakout_id, position)
);
CREATE INDEX meeting_breakout_rooms_meeting_idx ON meeting_breakout_rooms (meeting_id);

-- Who is assigned where: one room per person and session.
CREATE TABLE meeting_breakout_assignments (
  breakout_id  uuid NOT NULL REFERENCES meeting_breakouts (id) ON DELETE CASCADE,
  room_id      uuid NOT NULL REFERENCES meeting_breakout_rooms (id) ON DELETE CASCADE,
  identity     text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  PRIMARY KEY (breakout_id, identity)
);
CREATE INDEX meeting_breakout_assignments_room_idx ON meeting_breakout_assignments (room_id);

-- Only the server reads and writes these: on Supabase, no PostgREST role sees the assignments.
ALTER TABLE meeting_breakouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_breakout_rooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_breakout_assignments ENABLE ROW LEVEL SECURITY;
DO $grants$
BEGIN
  REVOKE ALL ON meeting_breakouts, meeting_breakout_rooms, meeting_breakout_assignments FROM anon, authenticated;
  GRANT ALL ON meeting_breakouts, meeting_breakout_rooms, meeting_breakout_assignments TO service_role;
EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
  NULL;
END
$grants$;
