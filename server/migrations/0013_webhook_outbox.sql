-- Outgoing webhooks to the host application (issue 16): an outbox written by triggers, so every
-- event is recorded in the very transaction that made the change, whichever statement made it (a
-- route, LiveKit's webhook, the join claim of migration 0007, the reconciliation sweep). The
-- server's dispatcher (server/src/services/webhook-dispatcher.ts) delivers the rows in order per
-- meeting, at least once, and turns each row's facts into the contract's event body.
--
-- The triggers record facts, not bodies: the rows as they were (to_jsonb) and the counts the event
-- needs, so the body is shaped once, in TypeScript, from the same mappers the API answers with.

-- Whether anything is recorded at all: the server sets it at start-up from WEBHOOK_URL (set it on
-- every instance or on none), so a deployment without webhooks does not fill a table nobody empties.
CREATE TABLE webhook_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  enabled   boolean NOT NULL DEFAULT false
);
INSERT INTO webhook_settings (singleton, enabled) VALUES (true, false);

CREATE TABLE webhook_outbox (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The webhook-id header: the same on every attempt, so receivers can drop repeats.
  id              text NOT NULL UNIQUE DEFAULT ('msg_' || replace(gen_random_uuid()::text, '-', '')),
  meeting_id      uuid NOT NULL,
  type            text NOT NULL CHECK (type IN ('meeting.started', 'meeting.ended', 'participant.joined', 'participant.left', 'recording.ready', 'invitation.created')),
  facts           jsonb NOT NULL,
  -- When it happened (the body's timestamp); clock_timestamp orders events of one transaction.
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- An instance delivering the row holds it until then; past it (the instance died) another takes it.
  leased_until    timestamptz,
  last_error      text,
  delivered_at    timestamptz,
  -- Given up after the last attempt; the meeting's later events then go on.
  failed_at       timestamptz,
  CHECK (delivered_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX webhook_outbox_pending_idx ON webhook_outbox (meeting_id, seq) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_outbox_done_idx ON webhook_outbox (created_at) WHERE delivered_at IS NOT NULL OR failed_at IS NOT NULL;

-- Nobody reads these through PostgREST (Supabase): no policies, so only the server (the owner) and
-- service_role see them.
ALTER TABLE webhook_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_outbox ENABLE ROW LEVEL SECURITY;

-- A recording is ready when its file is complete (LiveKit's egress reports it, or the embedded
-- media server does): then recording.ready goes out.
ALTER TABLE meeting_recordings ADD COLUMN ready_at timestamptz;

CREATE FUNCTION webhook_enqueue(p_meeting uuid, p_type text, p_facts jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT coalesce((SELECT enabled FROM webhook_settings), false) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_outbox (meeting_id, type, facts) VALUES (p_meeting, p_type, p_facts);
  -- Wakes the dispatchers once the transaction commits (server/src/store/webhook-outbox.ts).
  PERFORM pg_notify('webhook_outbox', p_meeting::text);
END
$fn$;

-- A meeting as it is: its row, its policy, the seats held now, how many people came, how many
-- chat messages were sent.
CREATE FUNCTION webhook_meeting_facts(m meetings) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'meeting', to_jsonb(m),
    'policy', (SELECT to_jsonb(p) FROM meeting_security_policies p WHERE p.meeting_id = m.id),
    'seats', (SELECT count(*) FROM meeting_participants x
               WHERE x.meeting_id = m.id AND x.left_at IS NULL AND (x.state = 'present' OR x.token_expires_at > now())),
    'people', (SELECT count(DISTINCT x.identity) FROM meeting_participants x WHERE x.meeting_id = m.id AND x.connected_at IS NOT NULL),
    'chat_messages', (SELECT count(*) FROM meeting_chat_messages c WHERE c.meeting_id = m.id))
$fn$;

CREATE FUNCTION meetings_webhooks() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Deleting a meeting in progress ends it for whoever shows it (BEFORE DELETE: its policy and
    -- seats are still there to count).
    IF OLD.status = 'active' THEN
      PERFORM webhook_enqueue(OLD.id, 'meeting.ended', webhook_meeting_facts(OLD) || jsonb_build_object('deleted', true, 'ended_at', now()));
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'scheduled' AND NEW.status = 'active' THEN
    PERFORM webhook_enqueue(NEW.id, 'meeting.started', webhook_meeting_facts(NEW));
  ELSIF OLD.status <> 'ended' AND NEW.status = 'ended' THEN
    PERFORM webhook_enqueue(NEW.id, 'meeting.ended', webhook_meeting_facts(NEW));
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER meetings_webhooks AFTER UPDATE OF status ON meetings
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION meetings_webhooks();
CREATE TRIGGER meetings_webhooks_deleted BEFORE DELETE ON meetings
  FOR EACH ROW EXECUTE FUNCTION meetings_webhooks();

-- Joined: a seat's first connection, or a seat taken back by a newer session after a leave.
-- Left: a seat that had connected is freed, unless the meeting ended (meeting.ended says it all).
-- A reload (granted again, then present again) is neither.
CREATE FUNCTION meeting_participants_webhooks() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (OLD.connected_at IS NULL AND NEW.connected_at IS NOT NULL)
     OR (OLD.left_at IS NOT NULL AND NEW.left_at IS NULL AND NEW.state = 'present') THEN
    PERFORM webhook_enqueue(NEW.meeting_id, 'participant.joined', jsonb_build_object('participant', to_jsonb(NEW)));
  ELSIF OLD.left_at IS NULL AND NEW.left_at IS NOT NULL AND NEW.connected_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = NEW.meeting_id AND m.status = 'ended') THEN
    PERFORM webhook_enqueue(NEW.meeting_id, 'participant.left', jsonb_build_object('participant', to_jsonb(NEW)));
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER meeting_participants_webhooks AFTER UPDATE ON meeting_participants
  FOR EACH ROW WHEN (OLD.connected_at IS DISTINCT FROM NEW.connected_at OR OLD.left_at IS DISTINCT FROM NEW.left_at)
  EXECUTE FUNCTION meeting_participants_webhooks();

-- Created, or sent again after it was declined.
CREATE FUNCTION meeting_invitations_webhooks() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' OR (OLD.status = 'declined' AND NEW.status = 'pending') THEN
    PERFORM webhook_enqueue(NEW.meeting_id, 'invitation.created', jsonb_build_object('invitation', to_jsonb(NEW)));
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER meeting_invitations_webhooks AFTER INSERT OR UPDATE OF status ON meeting_invitations
  FOR EACH ROW EXECUTE FUNCTION meeting_invitations_webhooks();

CREATE FUNCTION meeting_recordings_webhooks() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM webhook_enqueue(NEW.meeting_id, 'recording.ready', jsonb_build_object('recording', to_jsonb(NEW)));
  RETURN NEW;
END
$fn$;
CREATE TRIGGER meeting_recordings_webhooks AFTER UPDATE OF ready_at ON meeting_recordings
  FOR EACH ROW WHEN (OLD.ready_at IS NULL AND NEW.ready_at IS NOT NULL) EXECUTE FUNCTION meeting_recordings_webhooks();
