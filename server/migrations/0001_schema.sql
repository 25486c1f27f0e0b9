-- Meetings, who is in them, who waits, who is invited, recordings and chat.
-- Runs unchanged on PostgreSQL 15+ and on PGlite.

CREATE TABLE meetings (
  id          uuid PRIMARY KEY,
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'active', 'ended')),
  host_id     text NOT NULL CHECK (char_length(host_id) BETWEEN 1 AND 255),
  room_name   text NOT NULL UNIQUE CHECK (char_length(room_name) BETWEEN 1 AND 128),
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  ended_at    timestamptz,
  CHECK (status <> 'scheduled' OR (started_at IS NULL AND ended_at IS NULL)),
  CHECK (status <> 'active' OR (started_at IS NOT NULL AND ended_at IS NULL)),
  CHECK (status <> 'ended' OR ended_at IS NOT NULL)
);
CREATE INDEX meetings_host_idx ON meetings (host_id);
CREATE INDEX meetings_active_idx ON meetings (started_at) WHERE status = 'active';

-- One row per meeting; typed columns so the database itself refuses an impossible policy.
CREATE TABLE meeting_security_policies (
  meeting_id            uuid PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
  waiting_room          boolean NOT NULL DEFAULT false,
  max_participants      integer NOT NULL DEFAULT 100 CHECK (max_participants BETWEEN 1 AND 1000),
  allowed_email_domains text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_email_domains) <= 100),
  allow_anonymous       boolean NOT NULL DEFAULT false,
  locked                boolean NOT NULL DEFAULT false,
  admit_invitees        boolean NOT NULL DEFAULT true,
  screen_share          text NOT NULL DEFAULT 'everyone' CHECK (screen_share IN ('everyone', 'hosts', 'nobody')),
  chat                  text NOT NULL DEFAULT 'everyone' CHECK (chat IN ('everyone', 'hosts', 'nobody')),
  recording             text NOT NULL DEFAULT 'hosts' CHECK (recording IN ('hosts', 'nobody')),
  mute_on_entry         boolean NOT NULL DEFAULT false,
  join_before_host      boolean NOT NULL DEFAULT false,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- A row per admission: 'granted' when a LiveKit token was issued, 'present' once connected, and
-- left_at set when the slot is free again. A granted row that never connected stops counting once
-- its token expires.
CREATE TABLE meeting_participants (
  id               uuid PRIMARY KEY,
  meeting_id       uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  identity         text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  user_id          text CHECK (user_id IS NULL OR char_length(user_id) BETWEEN 1 AND 255),
  email            text CHECK (email IS NULL OR email = lower(email)),
  display_name     text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 80),
  role             text NOT NULL CHECK (role IN ('host', 'co-host', 'attendee')),
  state            text NOT NULL DEFAULT 'granted' CHECK (state IN ('granted', 'present', 'left')),
  joined_at        timestamptz NOT NULL DEFAULT now(),
  connected_at     timestamptz,
  token_expires_at timestamptz NOT NULL,
  left_at          timestamptz,
  CHECK ((state = 'left') = (left_at IS NOT NULL))
);
-- One live row per identity in a meeting; rejoining replaces it.
CREATE UNIQUE INDEX meeting_participants_live_identity_idx ON meeting_participants (meeting_id, identity) WHERE left_at IS NULL;
CREATE INDEX meeting_participants_live_idx ON meeting_participants (meeting_id, state) WHERE left_at IS NULL;
CREATE INDEX meeting_participants_user_idx ON meeting_participants (user_id, meeting_id);

CREATE TABLE meeting_waiting (
  id            uuid PRIMARY KEY,
  meeting_id    uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  user_id       text CHECK (user_id IS NULL OR char_length(user_id) BETWEEN 1 AND 255),
  email         text CHECK (email IS NULL OR email = lower(email)),
  display_name  text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 80),
  identity      text NOT NULL CHECK (char_length(identity) BETWEEN 1 AND 128),
  status        text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'admitted', 'denied', 'cancelled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz,
  decided_by    text,
  CHECK ((status = 'waiting') = (decided_at IS NULL))
);
CREATE INDEX meeting_waiting_open_idx ON meeting_waiting (meeting_id, created_at) WHERE status = 'waiting';

CREATE TABLE meeting_invitations (
  id          uuid PRIMARY KEY,
  meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  email       text CHECK (email IS NULL OR (email = lower(email) AND char_length(email) BETWEEN 3 AND 320)),
  user_id     text CHECK (user_id IS NULL OR char_length(user_id) BETWEEN 1 AND 255),
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
  invited_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (email IS NOT NULL OR user_id IS NOT NULL)
);
CREATE UNIQUE INDEX meeting_invitations_email_idx ON meeting_invitations (meeting_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX meeting_invitations_user_idx ON meeting_invitations (meeting_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX meeting_invitations_invitee_email_idx ON meeting_invitations (email);
CREATE INDEX meeting_invitations_invitee_user_idx ON meeting_invitations (user_id);

CREATE TABLE meeting_recordings (
  id          uuid PRIMARY KEY,
  meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  egress_id   text UNIQUE,
  status      text NOT NULL CHECK (status IN ('starting', 'active', 'stopped', 'failed')),
  started_by  text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  location    text
);
CREATE INDEX meeting_recordings_meeting_idx ON meeting_recordings (meeting_id, started_at);

CREATE TABLE meeting_chat_messages (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            uuid NOT NULL UNIQUE,
  meeting_id    uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  identity      text NOT NULL,
  display_name  text NOT NULL,
  text          text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
  sent_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_chat_messages_meeting_idx ON meeting_chat_messages (meeting_id, seq);
