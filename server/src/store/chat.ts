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

export async function insertChatMessage(sql: Sql, input: { meetingId: string; identity: string; displayName: string; text: string }): Promise<ChatMessageView> {
  const { rows } = await sql.query<ChatRow>(
    `INSERT INTO meeting_chat_messages (id, meeting_id, identity, display_name, text) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, identity, display_name, text, sent_at`,
    [randomUUID(), input.meetingId, input.identity, input.displayName, input.text],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('chat insert returned nothing');
  return fromRow(row);
}

/**
 * Messages in sending order: those after `afterId` (a message of this meeting), or the latest
 * `limit` when no cursor is given. Null when `afterId` names no message of this meeting.
 */
export async function listChatMessages(sql: Sql, meetingId: string, afterId: string | undefined, limit: number): Promise<ChatMessageView[] | null> {
  if (afterId === undefined) {
    const { rows } = await sql.query<ChatRow>(
      `SELECT id, identity, display_name, text, sent_at FROM (
         SELECT seq, id, identity, display_name, text, sent_at FROM meeting_chat_messages WHERE meeting_id = $1 ORDER BY seq DESC LIMIT $2
       ) latest ORDER BY seq`,
      [meetingId, limit],
    );
    return rows.map(fromRow);
  }
  const cursor = await sql.query<{ seq: string }>('SELECT seq FROM meeting_chat_messages WHERE meeting_id = $1 AND id = $2', [meetingId, afterId]);
  const seq = cursor.rows[0]?.seq;
  if (seq === undefined) return null;
  const { rows } = await sql.query<ChatRow>(
    `SELECT id, identity, display_name, text, sent_at FROM meeting_chat_messages WHERE meeting_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [meetingId, seq, limit],
  );
  return rows.map(fromRow);
}
