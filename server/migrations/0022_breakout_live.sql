-- Breakout rooms live (issue 17): each breakout room has a chat of its own, and a session says
-- whether the people sent to the rooms may come back to the main room before it closes.
--
-- allow_return: Meet and Zoom let people go back by default; a host may keep them in their rooms
-- until the close (the main-room join then refuses an attendee assigned to a room of the session).
ALTER TABLE meeting_breakouts ADD COLUMN allow_return boolean NOT NULL DEFAULT true;

-- A message sent inside a breakout room belongs to that room (NULL: the main room's chat). It goes
-- with the room: deleting a meeting deletes its sessions, their rooms and their chats.
ALTER TABLE meeting_chat_messages ADD COLUMN breakout_room_id uuid REFERENCES meeting_breakout_rooms (id) ON DELETE CASCADE;
CREATE INDEX meeting_chat_messages_breakout_idx ON meeting_chat_messages (breakout_room_id, seq) WHERE breakout_room_id IS NOT NULL;
