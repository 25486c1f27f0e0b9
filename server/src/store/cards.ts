// A meeting as a chat message shows it (GET /meetings/:id/card, GET /events).
import type { MeetingCard } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import { countOccupied, type MeetingRecord } from './meetings.js';
import { listPresent } from './participants.js';

/** How many of the people in a meeting a card shows. */
export const CARD_PEOPLE = 5;

export async function meetingCard(sql: Sql, meeting: MeetingRecord): Promise<MeetingCard> {
  const [participantCount, people] = await Promise.all([countOccupied(sql, meeting.id), listPresent(sql, meeting.id, { limit: CARD_PEOPLE })]);
  return {
    id: meeting.id,
    title: meeting.title,
    status: meeting.status,
    startedAt: meeting.startedAt?.toISOString() ?? null,
    endedAt: meeting.endedAt?.toISOString() ?? null,
    participantCount,
    people: people.map((p) => ({ displayName: p.displayName, role: p.role })),
  };
}
