// The database's idea of who is present, checked against the media server's. LiveKit's webhooks
// are how the server hears of joins and leaves, and a webhook can be lost: sent while this server
// was restarting and given up, or never sent because the media server itself went down. A lost
// leave leaves a ghost seat (participantCount too high, a full meeting refusing people); a lost
// join leaves a connected person on a seat whose hold runs out. So, once at start-up and then every
// RECONCILE_INTERVAL_S, for each active meeting:
//   * a seat held as present whose identity the room does not list is freed;
//   * an identity the room lists on a seat still marked granted is recorded as connected;
//   * a meeting nobody has been in for EMPTY_MEETING_END_S ends (its room deleted).
// Seats still granted (a token out, its holder connecting) are never freed here: their hold ends
// them, as it always did. Several instances may sweep at once: every write re-checks under the row.
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';
import type { RoomParticipant, RoomService } from '../livekit/room-service.js';
import { recordSessionJoin } from '../store/participants.js';
import { freeAbsentSeat, liveSeatsOfActiveMeetings, lockIfStillEmpty, meetingsEmptyFor, type LiveSeat } from '../store/presence.js';
import { closeMeetingRoom, endMeetingIn } from './meeting-end.js';
import { sweepBreakouts } from './breakout-rooms.js';
import { openBreakoutRoomNames } from '../store/breakouts.js';

export interface ReconcilerDeps {
  db: Database;
  roomService: Pick<RoomService, 'listParticipants' | 'deleteRoom' | 'sendData' | 'removeParticipant'>;
  rooms: Pick<RoomEnsurer, 'forget'>;
  logger: Logger;
  /** Seconds an active meeting may stay empty before it ends; 0 never ends one. */
  emptyMeetingEndSeconds: number;
}

export interface SweepResult {
  /** Rooms whose participants were compared. */
  rooms: number;
  /** Rooms the media server could not list now (left alone until the next sweep). */
  unreachable: number;
  /** Present seats freed because their holder was not in the room. */
  seatsFreed: number;
  /** Granted seats found connected (a lost join webhook). */
  seatsConnected: number;
  meetingsEnded: number;
}

/** Meetings looked at per sweep, and rooms listed at once. */
const MEETINGS_PER_SWEEP = 1000;
const PARALLEL_LISTINGS = 8;

/** One pass over the active meetings (see the top of this file). */
export async function reconcile(deps: ReconcilerDeps): Promise<SweepResult> {
  const result: SweepResult = { rooms: 0, unreachable: 0, seatsFreed: 0, seatsConnected: 0, meetingsEnded: 0 };
  const byMeeting = new Map<string, LiveSeat[]>();
  for (const seat of await liveSeatsOfActiveMeetings(deps.db, MEETINGS_PER_SWEEP)) {
    const seats = byMeeting.get(seat.meetingId) ?? [];
    seats.push(seat);
    byMeeting.set(seat.meetingId, seats);
  }
  const meetings = [...byMeeting.values()];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < meetings.length; index = next++) {
      const seats = meetings[index];
      const first = seats?.[0];
      if (seats === undefined || first === undefined) continue;
      // The seats were read before the listing: anyone who connects after it is on a seat whose
      // row changed (granted again, or a newer session recorded), which freeAbsentSeat leaves alone.
      let listed: RoomParticipant[];
      try {
        listed = await deps.roomService.listParticipants(first.roomName);
        // People in the meeting's breakout rooms are in the meeting too.
        for (const roomName of await openBreakoutRoomNames(deps.db, first.meetingId)) listed = [...listed, ...(await deps.roomService.listParticipants(roomName))];
      } catch (err) {
        result.unreachable++;
        deps.logger.warn({ err, meetingId: first.meetingId }, 'reconciliation: the media server could not list the room now');
        continue;
      }
      result.rooms++;
      await settleRoom(deps, first.meetingId, seats, listed, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LISTINGS, meetings.length) }, worker));
  // Breakout sessions whose timer ran out close here when no instance's timer closed them (a restart).
  await sweepBreakouts(deps);
  if (deps.emptyMeetingEndSeconds > 0) result.meetingsEnded = await endEmptyMeetings(deps);
  if (result.seatsFreed + result.seatsConnected + result.meetingsEnded > 0) deps.logger.info(result, 'reconciliation: seats and meetings brought in line with the media server');
  return result;
}

async function settleRoom(deps: ReconcilerDeps, meetingId: string, seats: LiveSeat[], listed: RoomParticipant[], result: SweepResult): Promise<void> {
  const inRoom = new Map(listed.map((p) => [p.identity, p]));
  const absent = seats.filter((seat) => seat.state === 'present' && !inRoom.has(seat.identity));
  if (absent.length > 0) {
    const freed = await deps.db.transaction(async (tx) => {
      let count = 0;
      for (const seat of absent) if (await freeAbsentSeat(tx, seat)) count++;
      if (count > 0) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
      return count;
    });
    result.seatsFreed += freed;
    if (freed > 0) deps.logger.info({ meetingId, identities: absent.map((s) => s.identity) }, 'reconciliation: freed seats of people no longer in the room');
  }
  // The other way round: connected on a granted seat, but the join was never heard of. Recorded
  // as the join webhook would have, by its session.
  let connected = 0;
  for (const seat of seats) {
    const session = inRoom.get(seat.identity);
    if (seat.state !== 'granted' || session === undefined || session.sid === '') continue;
    const started = new Date(session.joinedAtMs > 0 ? session.joinedAtMs : Date.now());
    if ((await recordSessionJoin(deps.db, meetingId, seat.identity, session.sid, started)) === 'seated') connected++;
  }
  result.seatsConnected += connected;
  if (connected > 0) await publishMeetingEvent(deps.db, { type: 'meeting-changed', meetingId });
}

async function endEmptyMeetings(deps: ReconcilerDeps): Promise<number> {
  let ended = 0;
  for (const meeting of await meetingsEmptyFor(deps.db, deps.emptyMeetingEndSeconds, MEETINGS_PER_SWEEP)) {
    const done = await deps.db.transaction(async (tx) => {
      if (!(await lockIfStillEmpty(tx, meeting.id, deps.emptyMeetingEndSeconds))) return false;
      return endMeetingIn(tx, meeting.id, 'system:empty');
    });
    if (!done) continue;
    ended++;
    deps.logger.info({ meetingId: meeting.id, emptyForSeconds: deps.emptyMeetingEndSeconds }, 'reconciliation: ended a meeting nobody was in');
    await closeMeetingRoom(deps, meeting);
  }
  return ended;
}

export interface Reconciler {
  /** Runs one sweep now (after the one in progress, if any). */
  sweep(): Promise<SweepResult>;
  /** No further sweeps; resolves once the one in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Sweeps at once, then `intervalSeconds` after each sweep ends (never two at a time). A sweep that
 * fails (the database away) is logged and the next one tries again. 0 sweeps only when asked.
 */
export function startReconciler(deps: ReconcilerDeps, intervalSeconds: number): Reconciler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepResult | undefined> = Promise.resolve(undefined);
  const run = (): Promise<SweepResult> => {
    const sweep = running.then(() => reconcile(deps));
    running = sweep.catch((err: unknown) => {
      deps.logger.warn({ err }, 'reconciliation sweep failed; the next one tries again');
      return undefined;
    });
    return sweep;
  };
  const schedule = (): void => {
    if (stopped || intervalSeconds <= 0) return;
    timer = setTimeout(() => {
      void run()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalSeconds * 1000);
    timer.unref();
  };
  if (intervalSeconds > 0) {
    void run()
      .catch(() => undefined)
      .finally(schedule);
  }
  return {
    sweep: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
