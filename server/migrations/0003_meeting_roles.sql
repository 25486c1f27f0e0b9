-- Roles granted inside a meeting, by participant identity (stable per user, or per guest), so a
-- co-host stays co-host across reconnects. The host is meetings.host_id and needs no row here.
CREATE TABLE meeting_roles (
  meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  identity    text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  role        text NOT NULL CHECK (role IN ('co-host')),
  granted_by  text NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, identity)
);
ALTER TABLE meeting_roles ENABLE ROW LEVEL SECURITY;
