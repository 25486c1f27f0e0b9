-- A raised hand is the server's to set (contract v1.1: clients cannot change their own attributes),
-- so it is kept with the participation it belongs to.
ALTER TABLE meeting_participants ADD COLUMN hand_raised_at timestamptz;
