import { randomUUID } from 'node:crypto';
import type { Recording } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

/** The contract's Recording object. */
export type RecordingView = Recording;
export type RecordingStatus = Recording['status'];

export interface RecordingRow {
  id: string;
  meeting_id: string;
  egress_id: string | null;
  status: RecordingStatus;
  started_by: string;
  started_at: Date | string;
  ended_at: Date | string | null;
  /** Where the file is on this server or in storage: never shown to anyone (recordingFromRow). */
  location: string | null;
  ready_at: Date | string | null;
}

const COLUMNS = 'id, meeting_id, egress_id, status, started_by, started_at, ended_at, location, ready_at';

/** The route that serves a recording's file: what everyone outside the server knows as its location. */
export function recordingFileRoute(meetingId: string, recordingId: string): string {
  return `/api/v1/meetings/${meetingId}/recordings/${recordingId}/file`;
}

/**
 * The contract's Recording. Its `location` is the file route once the file is complete, else null:
 * the stored location (a path in RECORDINGS_DIR, an egress's file or bucket URL) stays on the server,
 * so no answer, event or webhook tells a client how the server's disk or storage is laid out.
 */
export function recordingFromRow(row: RecordingRow): RecordingView {
  const ready = row.ready_at !== null && row.location !== null;
  return {
    id: row.id,
    meetingId: row.meeting_id,
    status: row.status,
    startedBy: row.started_by,
    startedAt: toIsoString(row.started_at),
    endedAt: row.ended_at === null ? null : toIsoString(row.ended_at),
    location: ready ? recordingFileRoute(row.meeting_id, row.id) : null,
  };
}

export async function listRecordings(sql: Sql, meetingId: string): Promise<RecordingView[]> {
  const { rows } = await sql.query<RecordingRow>(`SELECT ${COLUMNS} FROM meeting_recordings WHERE meeting_id = $1 ORDER BY started_at, id`, [meetingId]);
  return rows.map(recordingFromRow);
}

/** The recording running now (starting or active), with its egress id. */
export async function currentRecording(sql: Sql, meetingId: string): Promise<(RecordingView & { egressId: string | null }) | null> {
  const { rows } = await sql.query<RecordingRow>(
    `SELECT ${COLUMNS} FROM meeting_recordings WHERE meeting_id = $1 AND status IN ('starting', 'active') ORDER BY started_at DESC LIMIT 1`,
    [meetingId],
  );
  const row = rows[0];
  return row ? { ...recordingFromRow(row), egressId: row.egress_id } : null;
}

export async function insertRecording(sql: Sql, input: { meetingId: string; startedBy: string; location: string }): Promise<string> {
  const id = randomUUID();
  await sql.query(`INSERT INTO meeting_recordings (id, meeting_id, status, started_by, location) VALUES ($1, $2, 'starting', $3, $4)`, [
    id,
    input.meetingId,
    input.startedBy,
    input.location,
  ]);
  return id;
}

export async function markRecording(sql: Sql, id: string, change: { status: RecordingStatus; egressId?: string }): Promise<RecordingView> {
  const ended = change.status === 'stopped' || change.status === 'failed';
  const { rows } = await sql.query<RecordingRow>(
    `UPDATE meeting_recordings SET status = $2, egress_id = coalesce($3, egress_id), ended_at = CASE WHEN $4 THEN now() ELSE ended_at END
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.status, change.egressId ?? null, ended],
  );
  const row = rows[0];
  if (!row) throw new Error(`recording ${id} vanished`);
  return recordingFromRow(row);
}

/**
 * Where a recording's file is, and whether it is complete: only a recording of `meetingId` (an id
 * of another meeting's recording finds nothing).
 */
export async function recordingFile(sql: Sql, meetingId: string, recordingId: string): Promise<{ location: string | null; ready: boolean } | null> {
  const { rows } = await sql.query<{ location: string | null; ready: boolean }>(
    `SELECT location, ready_at IS NOT NULL AS ready FROM meeting_recordings WHERE meeting_id = $1 AND id = $2`,
    [meetingId, recordingId],
  );
  return rows[0] ?? null;
}

/** The meeting's room closed: its running recordings end with it. */
export async function stopRecordingsOf(sql: Sql, meetingId: string): Promise<void> {
  await sql.query(`UPDATE meeting_recordings SET status = 'stopped', ended_at = now() WHERE meeting_id = $1 AND status IN ('starting', 'active')`, [meetingId]);
}

/**
 * Keeps a recording's row in step with what the egress service reports. A failed recording stays
 * failed, and a stopped one does not go back to active on a late report. A finished egress with a
 * file makes the recording ready (recording.ready goes out, migration 0013).
 */
export async function syncEgressRecording(sql: Sql, egressId: string, status: 'active' | 'stopped' | 'failed', location: string | null): Promise<void> {
  await sql.query(
    `UPDATE meeting_recordings
     SET status = $2, location = coalesce($3, location), ended_at = CASE WHEN $2 IN ('stopped', 'failed') THEN coalesce(ended_at, now()) ELSE ended_at END,
         ready_at = CASE WHEN $2 = 'stopped' AND $3::text IS NOT NULL THEN coalesce(ready_at, now()) ELSE ready_at END
     WHERE egress_id = $1 AND status <> 'failed' AND NOT (status = 'stopped' AND $2 = 'active')`,
    [egressId, status, location],
  );
}

/**
 * The recording's file is complete at `location` (for a recorder that reports it by other means
 * than LiveKit's egress webhooks, such as the embedded media server): stopped, and ready once.
 * False when there is no such recording of the meeting.
 */
export async function markRecordingReady(sql: Sql, meetingId: string, recordingId: string, location: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE meeting_recordings SET status = 'stopped', location = $3, ended_at = coalesce(ended_at, now()), ready_at = coalesce(ready_at, now())
      WHERE meeting_id = $1 AND id = $2 AND status <> 'failed'`,
    [meetingId, recordingId, location],
  );
  return rowCount > 0;
}
