import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

export type PollStatus = 'open' | 'closed';

/** One person's choice in a poll that is not anonymous. */
export interface PollVoterView {
  identity: string;
  displayName: string;
  options: number[];
}

/**
 * A poll as everyone in the room may see it: the question, the counts and the status, nobody's
 * choice. This is what the server pushes to the room.
 */
export interface PollResultsView {
  id: string;
  meetingId: string;
  question: string;
  options: Array<{ text: string; votes: number }>;
  multiple: boolean;
  anonymous: boolean;
  status: PollStatus;
  /** The identity of the participant who asked. */
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  /** How many people voted (with `multiple`, fewer than the sum of the votes). */
  voterCount: number;
  /** Goes up with every vote and with the close: of two answers, the higher revision is the newer. */
  revision: number;
}

/** The contract's Poll, as one caller sees it: their own vote, and who voted what unless anonymous. */
export interface PollView extends PollResultsView {
  myVote: number[] | null;
  voters?: PollVoterView[];
}

/** What a vote is checked against before it is cast. */
export interface PollHead {
  id: string;
  optionCount: number;
  multiple: boolean;
  status: PollStatus;
  createdBy: string;
}

/** Polls a list shows: the latest ones, so a meeting's list stays bounded. */
export const POLL_LIST_LIMIT = 100;

interface PollRow {
  id: string;
  meeting_id: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  status: PollStatus;
  created_by: string;
  created_at: Date | string;
  closed_at: Date | string | null;
  revision: number;
  counts: number[];
  voter_count: number;
  my_vote: number[] | null;
  voters: PollVoterView[] | string | null;
}

function fromRow(row: PollRow): PollView {
  const view: PollView = {
    id: row.id,
    meetingId: row.meeting_id,
    question: row.question,
    options: row.options.map((text, index) => ({ text, votes: row.counts[index] ?? 0 })),
    multiple: row.multiple,
    anonymous: row.anonymous,
    status: row.status,
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    closedAt: row.closed_at === null ? null : toIsoString(row.closed_at),
    voterCount: row.voter_count,
    revision: row.revision,
    myVote: row.my_vote,
  };
  // The query never selects voters of an anonymous poll; this keeps it so if the query changes.
  if (!row.anonymous && row.voters !== null) view.voters = typeof row.voters === 'string' ? (JSON.parse(row.voters) as PollVoterView[]) : row.voters;
  return view;
}

/** Strips what only the caller may see: their own vote, and the voters. */
export function resultsOf(poll: PollView): PollResultsView {
  const { myVote: _mine, voters: _voters, ...results } = poll;
  return results;
}

/**
 * Counts, the caller's vote and the voters, all in one statement, so they come from one snapshot
 * and match the revision read with them.
 */
const SELECT_POLLS = `
  SELECT p.id, p.meeting_id, p.question, p.options, p.multiple, p.anonymous, p.status, p.created_by,
         p.created_at, p.closed_at, p.revision,
         ARRAY(
           SELECT coalesce(c.n, 0)
             FROM generate_series(0, cardinality(p.options) - 1) AS i(ix)
             LEFT JOIN (
               SELECT o.ix, count(*)::int AS n
                 FROM meeting_poll_votes v CROSS JOIN LATERAL unnest(v.options) AS o(ix)
                WHERE v.poll_id = p.id GROUP BY o.ix
             ) c ON c.ix = i.ix
            ORDER BY i.ix
         ) AS counts,
         (SELECT count(*)::int FROM meeting_poll_votes v WHERE v.poll_id = p.id) AS voter_count,
         (SELECT v.options FROM meeting_poll_votes v WHERE v.poll_id = p.id AND v.identity = $2) AS my_vote,
         CASE WHEN p.anonymous OR NOT $3::boolean THEN NULL ELSE (
           SELECT coalesce(json_agg(json_build_object('identity', v.identity, 'displayName', v.display_name, 'options', v.options)
                                    ORDER BY v.voted_at, v.identity), '[]'::json)
             FROM meeting_poll_votes v WHERE v.poll_id = p.id
         ) END AS voters
    FROM meeting_polls p
   WHERE p.meeting_id = $1 AND ($4::uuid IS NULL OR p.id = $4::uuid)
   ORDER BY p.seq DESC
   LIMIT ${String(POLL_LIST_LIMIT)}`;

/**
 * The meeting's polls in the order they were asked (the latest POLL_LIST_LIMIT), as `viewer` sees
 * them (null: nobody's own vote). Voters are included only when asked for and never for anonymous polls.
 */
export async function readPolls(sql: Sql, meetingId: string, viewer: string | null, options: { voters: boolean; pollId?: string }): Promise<PollView[]> {
  const { rows } = await sql.query<PollRow>(SELECT_POLLS, [meetingId, viewer, options.voters, options.pollId ?? null]);
  return rows.map(fromRow).reverse();
}

export async function readPoll(sql: Sql, meetingId: string, pollId: string, viewer: string | null, options: { voters: boolean }): Promise<PollView | null> {
  return (await readPolls(sql, meetingId, viewer, { ...options, pollId }))[0] ?? null;
}

export async function insertPoll(
  sql: Sql,
  input: { meetingId: string; question: string; options: string[]; multiple: boolean; anonymous: boolean; createdBy: string },
): Promise<string> {
  const id = randomUUID();
  await sql.query('INSERT INTO meeting_polls (id, meeting_id, question, options, multiple, anonymous, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    id,
    input.meetingId,
    input.question,
    input.options,
    input.multiple,
    input.anonymous,
    input.createdBy,
  ]);
  return id;
}

export async function findPollHead(sql: Sql, meetingId: string, pollId: string): Promise<PollHead | null> {
  const { rows } = await sql.query<{ id: string; option_count: number; multiple: boolean; status: PollStatus; created_by: string }>(
    'SELECT id, cardinality(options) AS option_count, multiple, status, created_by FROM meeting_polls WHERE id = $1 AND meeting_id = $2',
    [pollId, meetingId],
  );
  const row = rows[0];
  return row === undefined ? null : { id: row.id, optionCount: row.option_count, multiple: row.multiple, status: row.status, createdBy: row.created_by };
}

/**
 * Casts or replaces `identity`'s vote, only while the poll is open. The revision goes up in the same
 * statement, under the poll row's lock: a close that commits first makes this cast nothing, and
 * concurrent votes each get their own revision. False when the poll was closed (or is not there).
 */
export async function castVote(sql: Sql, input: { meetingId: string; pollId: string; identity: string; displayName: string; options: number[] }): Promise<boolean> {
  const { rowCount } = await sql.query(
    `WITH open_poll AS (
       UPDATE meeting_polls SET revision = revision + 1
        WHERE id = $1 AND meeting_id = $2 AND status = 'open'
        RETURNING id
     )
     INSERT INTO meeting_poll_votes (poll_id, identity, display_name, options)
     SELECT id, $3, $4, $5::integer[] FROM open_poll
     ON CONFLICT (poll_id, identity) DO UPDATE SET options = EXCLUDED.options, display_name = EXCLUDED.display_name, voted_at = now()
     RETURNING poll_id`,
    [input.pollId, input.meetingId, input.identity, input.displayName, input.options],
  );
  return rowCount > 0;
}

/** Closes an open poll; false when it was already closed (or is not there). */
export async function closePoll(sql: Sql, meetingId: string, pollId: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE meeting_polls SET status = 'closed', closed_at = now(), revision = revision + 1 WHERE id = $1 AND meeting_id = $2 AND status = 'open'`,
    [pollId, meetingId],
  );
  return rowCount > 0;
}

/** The name of `identity` while it holds a slot in the meeting; null when it holds none. */
export async function presentDisplayName(sql: Sql, meetingId: string, identity: string): Promise<string | null> {
  const { rows } = await sql.query<{ display_name: string }>(
    `SELECT display_name FROM meeting_participants
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND (state = 'present' OR token_expires_at > now())
      ORDER BY joined_at DESC LIMIT 1`,
    [meetingId, identity],
  );
  return rows[0]?.display_name ?? null;
}
