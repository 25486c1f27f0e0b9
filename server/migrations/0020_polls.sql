-- Polls (issue 17, contract v1.1).
--
-- Who may create polls is a policy field like chat; everyone present may vote.
ALTER TABLE meeting_security_policies
  ADD COLUMN polls text NOT NULL DEFAULT 'everyone' CHECK (polls IN ('everyone', 'hosts', 'nobody'));

-- A poll and its options (2..10, in the order they are shown: votes name them by index).
-- `revision` goes up by one with every vote and with the close, under the row's lock, so a count
-- read together with it describes exactly the first `revision` changes: clients keep the highest
-- revision they were sent and drop an older one that arrives late.
CREATE TABLE meeting_polls (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id          uuid NOT NULL UNIQUE,
  meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  question    text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 300),
  options     text[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 10),
  multiple    boolean NOT NULL DEFAULT false,
  anonymous   boolean NOT NULL DEFAULT false,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by  text NOT NULL CHECK (char_length(created_by) BETWEEN 1 AND 128),
  created_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz,
  revision    integer NOT NULL DEFAULT 0,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX meeting_polls_meeting_idx ON meeting_polls (meeting_id, seq);

-- One row per person and poll: voting again replaces the row, so nobody counts twice. The counts
-- are always derived from these rows, never kept beside them. For an anonymous poll the identity is
-- kept only to enforce "once per person"; no answer of the server ever shows it.
CREATE TABLE meeting_poll_votes (
  poll_id       uuid NOT NULL REFERENCES meeting_polls (id) ON DELETE CASCADE,
  identity      text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  display_name  text NOT NULL,
  options       integer[] NOT NULL CHECK (cardinality(options) BETWEEN 1 AND 10),
  voted_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (poll_id, identity)
);

-- Only the server reads and writes these: on Supabase, no PostgREST role sees who voted what.
ALTER TABLE meeting_polls ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_poll_votes ENABLE ROW LEVEL SECURITY;
DO $grants$
BEGIN
  REVOKE ALL ON meeting_polls, meeting_poll_votes FROM anon, authenticated;
  GRANT ALL ON meeting_polls, meeting_poll_votes TO service_role;
EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
  NULL;
END
$grants$;
