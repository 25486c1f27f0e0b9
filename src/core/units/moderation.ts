// Moderation and the waiting list: the host actions (admit, deny, mute, remove, roles, lock), and
// for hosts and co-hosts the meeting's event stream, which keeps the waiting list and the meeting
// record current. The stream is followed across drops, so a token server that restarts is invisible
// to a host: a guest who knocks afterwards is still seen.
import { followEventStream } from '../api/event-stream.js';
import { MeetingError } from '../api/meeting-error.js';
import type { MediaSource, Meeting, Role, Waiter } from '../api/types.js';
import type { CoreContext } from '../controller/context.js';
import { backoffDelay } from '../controller/timers.js';
import type { AbilitiesUnit } from './abilities.js';

export interface ModerationUnit {
  admit(waitingId: string): Promise<void>;
  deny(waitingId: string): Promise<void>;
  mute(identity: string, source: MediaSource): Promise<void>;
  remove(identity: string): Promise<void>;
  setRole(identity: string, role: Exclude<Role, 'host'>): Promise<void>;
  lock(): Promise<void>;
  unlock(): Promise<void>;
  /** Follows the meeting's event stream until `signal` aborts (hosts and co-hosts). */
  follow(signal: AbortSignal): Promise<void>;
  /** How many times the stream has been opened (tests and diagnostics). */
  readonly streamOpens: number;
}

function isWaiterList(value: unknown): value is Waiter[] {
  return Array.isArray(value) && value.every((w) => typeof w === 'object' && w !== null && typeof (w as Waiter).waitingId === 'string');
}

export function setupModeration(ctx: CoreContext, abilities: AbilitiesUnit): ModerationUnit {
  let opens = 0;
  /** The list as last received; only people not on it are news. Undefined until the first list arrives. */
  let seen: Set<string> | undefined;

  const setWaiting = (waiting: Waiter[]): void => {
    const before = seen;
    seen = new Set(waiting.map((w) => w.waitingId));
    ctx.patch({ waiting });
    if (!before) return;
    for (const waiter of waiting) if (!before.has(waiter.waitingId)) ctx.events.emit('waiter-arrived', waiter);
  };

  const decided = (waitingId: string): void => {
    seen?.delete(waitingId);
    ctx.patch({ waiting: ctx.state.waiting.filter((w) => w.waitingId !== waitingId) });
  };

  return {
    async admit(waitingId) {
      ctx.requireModerator();
      await ctx.api.admit(ctx.meetingId, waitingId);
      decided(waitingId);
    },
    async deny(waitingId) {
      ctx.requireModerator();
      await ctx.api.deny(ctx.meetingId, waitingId);
      decided(waitingId);
    },
    async mute(identity, source) {
      ctx.requireModerator();
      await ctx.api.mute(ctx.meetingId, identity, source);
    },
    async remove(identity) {
      ctx.requireModerator();
      await ctx.api.remove(ctx.meetingId, identity);
    },
    async setRole(identity, role) {
      if (!ctx.state.abilities.changeRoles) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only the host can change roles.', 403);
      await ctx.api.setRole(ctx.meetingId, identity, role);
    },
    async lock() {
      ctx.requireModerator();
      abilities.setMeeting(await ctx.api.lock(ctx.meetingId));
    },
    async unlock() {
      ctx.requireModerator();
      abilities.setMeeting(await ctx.api.unlock(ctx.meetingId));
    },
    async follow(signal) {
      seen = undefined;
      await followEventStream(
        () => ctx.api.eventStream(ctx.meetingId),
        (event) => {
          if (event.event === 'waiting' && isWaiterList(event.data)) setWaiting(event.data);
          if (event.event === 'meeting' && typeof event.data === 'object' && event.data !== null) abilities.setMeeting(event.data as Meeting);
        },
        signal,
        {
          pause: (ms, s) => ctx.timers.pause(ms, s),
          delay: (attempt) => backoffDelay(attempt, { baseMs: 500, maxMs: 5000 }),
          onOpen: () => {
            opens++;
          },
        },
      );
      // Refused for good (no longer a host, say): the list can still be read on demand.
    },
    get streamOpens() {
      return opens;
    },
  };
}
