import { z } from 'zod';
import type { Database, Sql } from '../db/database.js';
import { notify } from '../store/notifications.js';

/** The one NOTIFY channel all instances of a deployment share. */
export const MEETING_EVENTS_CHANNEL = 'meeting_events';

const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('waiting-decided'), meetingId: z.string(), waitingId: z.string(), status: z.enum(['admitted', 'denied', 'cancelled']) }),
  z.object({ type: z.literal('waiting-changed'), meetingId: z.string() }),
  z.object({ type: z.literal('meeting-changed'), meetingId: z.string() }),
  z.object({ type: z.literal('participant-removed'), meetingId: z.string(), identity: z.string() }),
]);

/**
 * `resync` and `shutdown` never come from the database. `resync` says notifications may have been
 * missed (the connection that carries them was down), so a listener must re-read whatever it
 * follows; `shutdown` says this instance is stopping: streams and long polls answer now, and
 * their clients come back to another instance (or this one, restarted).
 */
export type MeetingEvent = z.infer<typeof eventSchema> | { type: 'resync'; meetingId: string } | { type: 'shutdown'; meetingId: string };
export type MeetingEventListener = (event: MeetingEvent) => void;

/**
 * Publishes inside the caller's transaction, so listeners hear of a change only once it is
 * committed, on every instance connected to the database.
 */
export async function publishMeetingEvent(sql: Sql, event: MeetingEvent): Promise<void> {
  await notify(sql, MEETING_EVENTS_CHANNEL, JSON.stringify(event));
}

/** Fans the database's meeting notifications out to this instance's listeners, by meeting. */
export class MeetingEvents {
  private readonly listeners = new Map<string, Set<MeetingEventListener>>();
  private listening: Promise<() => Promise<void>> | null = null;
  private readonly stopRestored: () => void;

  constructor(private readonly db: Database) {
    this.stopRestored = db.onNotificationsRestored(() => {
      for (const [meetingId, listeners] of this.listeners) {
        for (const listener of [...listeners]) listener({ type: 'resync', meetingId });
      }
    });
  }

  /** Resolves once notifications are flowing; the returned function unsubscribes. */
  async subscribe(meetingId: string, listener: MeetingEventListener): Promise<() => void> {
    let set = this.listeners.get(meetingId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(meetingId, set);
    }
    set.add(listener);
    this.listening ??= this.db.listen(MEETING_EVENTS_CHANNEL, (payload) => {
      this.dispatch(payload);
    });
    try {
      await this.listening;
    } catch (err) {
      // The database is away: the next subscriber tries again instead of inheriting the failure.
      this.listening = null;
      set.delete(listener);
      throw err;
    }
    return () => {
      const current = this.listeners.get(meetingId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(meetingId);
    };
  }

  private dispatch(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    const result = eventSchema.safeParse(parsed);
    if (!result.success) return;
    for (const listener of this.listeners.get(result.data.meetingId) ?? []) listener(result.data);
  }

  /** Tells every listener this instance is stopping (see MeetingEvent). */
  drain(): void {
    for (const [meetingId, listeners] of this.listeners) {
      for (const listener of [...listeners]) listener({ type: 'shutdown', meetingId });
    }
  }

  async close(): Promise<void> {
    this.stopRestored();
    this.listeners.clear();
    const listening = this.listening;
    this.listening = null;
    if (listening !== null) await (await listening)();
  }
}
