// Poll results reach the room from the server only, on the `polls` data topic, as chat does: a
// packet on that topic from a participant is a forgery and clients drop it. What goes out is the
// results (counts, status), never anyone's choice, whether or not the poll is anonymous.
//
// A poll is the meeting's, wherever it was started: the people in breakout rooms are still in the
// meeting, so every push goes to the main room and to each breakout room open at that moment (their
// votes count like anyone's).
//
// Votes arrive in bursts (a room of 200 answering at once): each poll gets at most one push per
// window. The first vote of a quiet poll goes out at once; votes inside the window are folded into
// one push at its end, read fresh from the database, so the last push always has the final counts.
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { RoomService } from '../livekit/room-service.js';
import { openBreakoutRoomNames } from '../store/breakouts.js';
import { readPoll, resultsOf, type PollResultsView } from '../store/polls.js';

/** The data-channel topic the widget listens on for polls. */
export const POLLS_TOPIC = 'polls';

/** The packet on the `polls` topic. */
export interface PollPacket {
  type: 'poll';
  poll: PollResultsView;
}

export const DEFAULT_POLL_PUSH_INTERVAL_MS = 250;

interface Window {
  timer: ReturnType<typeof setTimeout>;
  /** A vote came in since the last push. */
  dirty: boolean;
}

export class PollBroadcaster {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly deps: { db: Database; roomService: RoomService; logger: Logger },
    private readonly intervalMs = DEFAULT_POLL_PUSH_INTERVAL_MS,
  ) {}

  /** A poll was created or closed: everyone hears of it now. */
  now(roomName: string, results: PollResultsView): void {
    void this.send(roomName, results);
  }

  /** A vote changed the counts: pushed now, or folded into the push at the end of the window. */
  voted(roomName: string, results: PollResultsView): void {
    const open = this.windows.get(results.id);
    if (open !== undefined) {
      open.dirty = true;
      return;
    }
    void this.send(roomName, results);
    this.openWindow(roomName, results.meetingId, results.id);
  }

  private openWindow(roomName: string, meetingId: string, pollId: string): void {
    const window: Window = {
      dirty: false,
      timer: setTimeout(() => {
        this.windows.delete(pollId);
        if (!window.dirty) return;
        // Another window starts with this push: the burst may go on.
        this.openWindow(roomName, meetingId, pollId);
        void this.pushFresh(roomName, meetingId, pollId);
      }, this.intervalMs),
    };
    // A pending push never keeps a stopping process alive.
    window.timer.unref();
    this.windows.set(pollId, window);
  }

  private async pushFresh(roomName: string, meetingId: string, pollId: string): Promise<void> {
    let poll;
    try {
      poll = await readPoll(this.deps.db, meetingId, pollId, null, { voters: false });
    } catch (err) {
      this.deps.logger.warn({ err, meetingId, pollId }, 'poll results could not be read for the room');
      return;
    }
    if (poll !== null) await this.send(roomName, resultsOf(poll));
  }

  private async send(roomName: string, results: PollResultsView): Promise<void> {
    const packet: PollPacket = { type: 'poll', poll: results };
    const payload = new TextEncoder().encode(JSON.stringify(packet));
    let rooms = [roomName];
    try {
      rooms = [roomName, ...(await openBreakoutRoomNames(this.deps.db, results.meetingId))];
    } catch (err) {
      this.deps.logger.warn({ err, meetingId: results.meetingId }, 'the open breakout rooms could not be read; poll results go to the main room only');
    }
    await Promise.all(
      rooms.map((room) =>
        this.deps.roomService.sendData(room, payload, { topic: POLLS_TOPIC }).catch((err: unknown) => {
          // The results are stored; clients read them again when they (re)connect. A breakout room
          // nobody has entered yet may not exist on the media server: not worth a warning.
          const log = { err, meetingId: results.meetingId, pollId: results.id, room };
          if (room === roomName) this.deps.logger.warn(log, 'poll results stored but not delivered to the room');
          else this.deps.logger.debug(log, 'poll results not delivered to a breakout room (nobody in it yet, or the media server away)');
        }),
      ),
    );
  }
}
