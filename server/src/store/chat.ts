import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

/** The contract's chat message. */
export type ChatMessageView = ChatMessage;

interface ChatRow {
  id: string;
  identity: string;
  display_name: string;
  text: string;
  sent_at: Date | string;
}

function fromRow(row: ChatRow): ChatMessageView {
  return {
    id: row.id,
    identity: row.identity,
    displayName: row.display_name,
    text: row.text,
    sentAt: toIsoString(row.sent_at),
  };
}

/**
 * Stores a message of the meeting's main chat (`breakoutRoomId` null) or of one of its breakout
 * rooms: each room's chat is its own (see docs/server.md, "Breakout rooms").
 */
export async function insertChatMessage(
  sql: Sql,
  input: { meetingId: string; identity: string; displayName: string; text: string; breakoutRoomId?: string | null },
): Promise<ChatMessageView> {
  const { rows } = await sql.query<ChatRow>(
    `INSERT INTO meeting_chat_messages (id, meeting_id, identity, display_name, text, breakout_room_id) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, identity, display_name, text, sent_at`,
    [randomUUID(), input.meetingId, input.identity, input.displayName, input.text, input.breakoutRoomId ?? null],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('chat insert returned nothing');
  return fromRow(row);
}

// One chat: the meeting's main one ($2 null) or one breakout room's. `IS NOT DISTINCT FROM` matches
// NULL to NULL, so one query serves both, and a cursor from another room's chat names nothing here.
const SAME_CHAT = 'meeting_id = $1 AND breakout_room_id IS NOT DISTINCT FROM $2::uuid';

/**
 * Messages of one chat (the main room's, `breakoutRoomId` null, or a breakout room's) in sending
 * order: those after `afterId` (a message of that chat), or the latest `limit` when no cursor is
 * given. Null when `afterId` names no message of that chat.
 */
export async function listChatMessages(
  sql: Sql,
  meetingId: string,
  afterId: string | undefined,
  limit: number,
  breakoutRoomId: string | null = null,
): Promise<ChatMessageView[] | null> {
  if (afterId === undefined) {
    const { rows } = await sql.query<ChatRow>(
      `SELECT id, identity, display_name, text, sent_at FROM (
         SELECT seq, id, identity, display_name, text, sent_at FROM meeting_chat_messages WHERE ${SAME_CHAT} ORDER BY seq DESC LIMIT $3
       ) latest ORDER BY seq`,
      [meetingId, breakoutRoomId, limit],
    );
    return rows.map(fromRow);
  }
  const cursor = await sql.query<{ seq: string }>(`SELECT seq FROM meeting_chat_messages WHERE ${SAME_CHAT} AND id = $3`, [meetingId, breakoutRoomId, afterId]);
  const seq = cursor.rows[0]?.seq;
  if (seq === undefined) return null;
  const { rows } = await sql.query<ChatRow>(
    `SELECT id, identity, display_name, text, sent_at FROM meeting_chat_messages WHERE ${SAME_CHAT} AND seq > $3 ORDER BY seq LIMIT $4`,
    [meetingId, breakoutRoomId, seq, limit],
  );
  return rows.map(fromRow);
}
