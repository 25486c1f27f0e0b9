-- claim_meeting_slot (0005) decided one join at a time; since 0006/0007 the server claims every
-- join through claim_meeting_slots, so the single-join function is dead code that still holds
-- privileges worth auditing. Dropped; its batch successor keeps the same rules.
DROP FUNCTION IF EXISTS claim_meeting_slot(uuid, text, text, text, text, text, text, text, boolean, integer);
