// Ending a meeting, whoever ends it: the host (POST /end) or the sweep that ends meetings nobody
// has been in for a while. Both must free the same seats, tell the same listeners and close the room.
import type { Logger } from 'pino';
import type { Sql } from '../db/database.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';
import type { RoomService } from '../livekit/room-service.js';
import { markEnded } from '../store/meetings.js';
import { listWaiting } from '../store/participants.js';
import { stopRecordingsOf } from '../store/recordings.js';
import { closeOpenBreakoutOf } from '../store/breakouts.js';
import { deleteBreakoutRoomsOfMeeting } from './breakout-rooms.js';
import type { Database } from '../db/database.js';

/**
 * Inside the caller's transaction (the meeting's row locked): ends the meeting, frees every seat,
 * turns the waiting room away and stops its recordings. False when it had already ended.
 */
export async function endMeetingIn(tx: Sql, meetingId: string, endedBy: string): Promise<boolean> {
  const waiters = await listWaiting(tx, meetingId);
  if (!(await markEnded(tx, meetingId, endedBy))) return false;
  for (const waiter of waiters) {
    await publishMeetingEvent(tx, { type: 'waiting-decided', meetingId, waitingId: waiter.id, status: 'cancelled' });
  }
  await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
  // Closing the room ends its recording in LiveKit; the record says so at once.
  await stopRecordingsOf(tx, meetingId);
  // Its breakout rooms close with it; closeMeetingRoom deletes them.
  await closeOpenBreakoutOf(tx, meetingId);
  return true;
}

export interface RoomCloser {
  roomService: Pick<RoomService, 'deleteRoom'>;
  /** With it, the meeting's breakout rooms are deleted too (a deleted meeting's rows are gone: it has none to find). */
  db?: Database;
  rooms: Pick<RoomEnsurer, 'forget'>;
  logger: Logger;
}

/** After the end is committed: everyone is disconnected and no token of the meeting connects again (LiveKit's auto-create off). */
export async function closeMeetingRoom(deps: RoomCloser, meeting: { id: string; roomName: string }): Promise<void> {
  deps.rooms.forget(meeting.roomName);
  try {
    await deps.roomService.deleteRoom(meeting.roomName);
  } catch (err) {
    // The meeting is over whatever LiveKit says: no new token will be issued for it, and the
    // room closes by itself once empty if it cannot be reached now.
    deps.logger.warn({ err, meetingId: meeting.id }, 'meeting ended but its LiveKit room could not be closed now');
  }
  const { db } = deps;
  if (db !== undefined) {
    await deleteBreakoutRoomsOfMeeting({ ...deps, db }, meeting.id).catch((err: unknown) => {
      deps.logger.warn({ err, meetingId: meeting.id }, 'meeting ended but its breakout rooms could not be closed now; the sweep tries again');
    });
  }
}
