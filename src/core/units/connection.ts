// Connection and rejoin: the join (waiting room included), the LiveKit connection, leaving and
// ending, and getting a lost call back. A call lost for any reason but a final one (removed, ended,
// joined elsewhere) is rejoined through the server, which hands out a fresh token, with backoff over
// a bounded window; after that the user gets a final CONNECTION_LOST.
import type { DisconnectReason, Room, RoomOptions } from 'livekit-client';
import { MeetingError, isTransient } from '../api/meeting-error.js';
import type { Admission } from '../api/types.js';
import { reason, reasonOf, type CoreContext } from '../controller/context.js';
import { loadLiveKit, type LiveKit } from '../controller/livekit.js';
import { backoffDelay } from '../controller/timers.js';
import type { AbilitiesUnit } from './abilities.js';

export type RoomFactory = (options: RoomOptions) => Room;

/** Read through a call: an await may have aborted the signal since it was last looked at. */
const isAborted = (signal: AbortSignal): boolean => signal.aborted;

/** What connecting to a room takes: the meeting's own (a join) or another of its rooms (a breakout room). */
export type RoomTicket = Pick<Admission, 'token' | 'livekitUrl' | 'identity' | 'role'> & { meeting?: Admission['meeting'] };

/** Gets a ticket for a room other than the meeting's main one; asked again when that room's call is lost. */
export type RoomTarget = (signal: AbortSignal) => Promise<RoomTicket>;

export const MAX_DISPLAY_NAME_LENGTH = 80;
/** How long a lost call is tried again, counted from the moment it was lost. */
export const REJOIN_WINDOW_MS = 60_000;
/** However long LiveKit spent resuming on its own first, the core's rejoins get at least this long. */
const REJOIN_MIN_OWN_MS = 20_000;
const REJOIN_BACKOFF = { baseMs: 1000, maxMs: 10_000 };
/**
 * How long LiveKit may try to resume on its own before the core takes over with a fresh token from
 * the server: LiveKit retries with the token it connected with, which lives only ~90 s.
 */
const LIVEKIT_RESUME_MS = 15_000;

/** What the other units do when a room comes and goes; the facade wires them. */
export interface ConnectionHooks {
  /** Register the units' room listeners (through `ctx.listeners`), before connecting. */
  bind(room: Room, lk: LiveKit): void;
  /** The room is connected: take the starting point, publish, read what there is to read. */
  connected(room: Room, lk: LiveKit, signal: AbortSignal, rejoin: boolean): Promise<void>;
  /** A new session begins (a join, not a rejoin): units forget the previous one. */
  newSession(): void;
  /** The user is out (left, ended, disposed): release local media. */
  released(): void;
  /** The call went back to the meeting's main room by itself (the other room closed or was deleted). */
  backInMain?(): void;
  /**
   * The main room refused the user (BREAKOUT_RETURN_NOT_ALLOWED: the host keeps them in their
   * breakout room until it closes); this gets the ticket for that room instead. Without it, the refusal stands.
   */
  heldIn?(roomId: string): RoomTarget | undefined;
}

export interface ConnectionUnit {
  join(options?: { displayName?: string }): Promise<void>;
  leave(): Promise<void>;
  end(): Promise<void>;
  /**
   * Moves the call to another room of the meeting (`target`) or back to its main room (undefined):
   * the ticket is fetched first (a refusal leaves the user where they are), then the current room is
   * left and the other one joined, with the same devices and what the user had on. No phase change.
   */
  move(target: RoomTarget | undefined): Promise<void>;
  dispose(): Promise<void>;
}

const IN_PROGRESS = new Set(['connecting', 'connected', 'waiting', 'reconnecting']);

export interface ConnectionOptions {
  roomFactory?: RoomFactory | undefined;
  /** How long a lost call is tried again (default REJOIN_WINDOW_MS). */
  reconnectWindowMs?: number | undefined;
}

export function setupConnection(ctx: CoreContext, abilities: AbilitiesUnit, hooks: ConnectionHooks, options: ConnectionOptions = {}): ConnectionUnit {
  const { roomFactory } = options;
  const windowMs = options.reconnectWindowMs ?? REJOIN_WINDOW_MS;
  const minOwnMs = Math.min(REJOIN_MIN_OWN_MS, windowMs);
  const resumeMs = Math.min(LIVEKIT_RESUME_MS, windowMs / 2);
  let stopWaitingForResume: (() => void) | undefined;
  let session: AbortController | undefined;
  /** The room that reached `connected`: only its loss is a lost call (a failed connect is the caller's error). */
  let live: Room | undefined;
  /** Set while the call is in another room of the meeting than its main one: where a rejoin goes. */
  let elsewhere: RoomTarget | undefined;

  const closeRoom = async (): Promise<void> => {
    stopWaitingForResume?.();
    stopWaitingForResume = undefined;
    const room = ctx.link.room;
    ctx.link.room = undefined;
    live = undefined;
    ctx.listeners.clear();
    if (room) await room.disconnect();
  };

  const admit = async (displayName: string, signal: AbortSignal, rejoin: boolean): Promise<Admission> => {
    const result = await ctx.api.join(ctx.meetingId, displayName ? { displayName } : {}, signal);
    if (result.status === 'admitted') return result;
    ctx.setPhase('waiting');
    try {
      // A cut long poll is sent again by the client: the user stays in line, never back in the lobby.
      const admitted = await ctx.api.waitForAdmission(ctx.meetingId, result.waitingId, signal);
      ctx.setPhase(rejoin ? 'reconnecting' : 'connecting');
      return admitted;
    } catch (error) {
      if (error instanceof MeetingError && error.code === 'ADMISSION_DENIED') ctx.setPhase('denied', reasonOf(error));
      throw error;
    }
  };

  /**
   * A join of the main room; when the server keeps the user in a breakout room (a reload, or a
   * rejoin, while the host does not let people back early), the ticket for that room instead.
   */
  const admitOrHeld = async (displayName: string, signal: AbortSignal, rejoin: boolean): Promise<RoomTicket> => {
    try {
      return await admit(displayName, signal, rejoin);
    } catch (error) {
      const roomId = error instanceof MeetingError && error.code === 'BREAKOUT_RETURN_NOT_ALLOWED' ? heldRoomOf(error.details) : undefined;
      const target = roomId === undefined ? undefined : hooks.heldIn?.(roomId);
      if (target === undefined) throw error;
      elsewhere = target;
      return target(signal);
    }
  };

  /** The ticket for where the call should be: the other room while there is one, else the main room. */
  const ticket = async (signal: AbortSignal): Promise<RoomTicket> => {
    const target = elsewhere;
    if (target === undefined) return admitOrHeld(ctx.state.displayName, signal, true);
    try {
      return await target(signal);
    } catch (error) {
      // That room is closed (or refused now): the call goes back to the main room.
      if (!(error instanceof MeetingError) || isTransient(error) || signal.aborted) throw error;
      elsewhere = undefined;
      hooks.backInMain?.();
      return admit(ctx.state.displayName, signal, true);
    }
  };

  const connect = async (lk: LiveKit, admission: RoomTicket, signal: AbortSignal, rejoin: boolean): Promise<void> => {
    const room = (roomFactory ?? ((options) => new lk.Room(options)))({ adaptiveStream: true, dynacast: true, stopLocalTrackOnUnpublish: true });
    ctx.link.room = room;
    ctx.link.lk = lk;
    hooks.bind(room, lk);
    ctx.listeners.on(room, lk.RoomEvent.Reconnecting, () => {
      if (ctx.state.phase !== 'connected') return;
      const now = Date.now();
      ctx.setPhase('reconnecting', undefined, { reconnect: { attempt: 0, since: now, giveUpAt: now + windowMs } });
      stopWaitingForResume?.();
      stopWaitingForResume = ctx.timers.after(resumeMs, () => {
        stopWaitingForResume = undefined;
        void takeOver(lk, room);
      });
    });
    ctx.listeners.on(room, lk.RoomEvent.Reconnected, () => {
      stopWaitingForResume?.();
      stopWaitingForResume = undefined;
      if (ctx.state.phase === 'reconnecting') ctx.setPhase('connected');
    });
    ctx.listeners.on(room, lk.RoomEvent.Disconnected, ((why?: DisconnectReason) => {
      void lost(lk, room, why);
    }));
    ctx.patch({ localIdentity: admission.identity, role: admission.role });
    if (admission.meeting) abilities.setMeeting(admission.meeting);
    // Audio for everyone, video only for the tiles on screen: the core subscribes itself.
    await room.connect(admission.livekitUrl, admission.token, { autoSubscribe: false });
    if (signal.aborted) {
      await closeRoom();
      return;
    }
    live = room;
    ctx.patch({ recording: { active: room.isRecording, pending: false } });
    ctx.setPhase('connected');
    if (!ctx.state.meeting) abilities.setMeeting(await ctx.api.getMeeting(ctx.meetingId, signal).catch(() => undefined));
    await hooks.connected(room, lk, signal, rejoin);
    ctx.scheduleRefresh();
  };

  /** LiveKit is still resuming after `resumeMs`: drop that room and rejoin through the server. */
  const takeOver = async (lk: LiveKit, room: Room): Promise<void> => {
    const current = session;
    if (live !== room || !current || current.signal.aborted) return;
    await closeRoom();
    await rejoin(lk, current.signal);
  };

  const lost = async (lk: LiveKit, room: Room, why: DisconnectReason | undefined): Promise<void> => {
    if (live !== room) return;
    stopWaitingForResume?.();
    stopWaitingForResume = undefined;
    live = undefined;
    ctx.listeners.clear();
    ctx.link.room = undefined;
    const R = lk.DisconnectReason;
    if (why === R.CLIENT_INITIATED) return;
    if ((why === R.ROOM_DELETED || why === R.ROOM_CLOSED) && elsewhere !== undefined) {
      // A breakout room went away (closed, its grace over): back to the main room, not the end of the meeting.
      elsewhere = undefined;
      hooks.backInMain?.();
      const current = session;
      if (current && !current.signal.aborted) await rejoin(lk, current.signal);
      return;
    }
    if (why === R.ROOM_DELETED || why === R.ROOM_CLOSED) {
      session?.abort();
      hooks.released();
      ctx.setPhase('ended', reason('MEETING_ENDED', 'The meeting has ended.'));
      return;
    }
    if (why === R.PARTICIPANT_REMOVED || why === R.DUPLICATE_IDENTITY) {
      session?.abort();
      hooks.released();
      ctx.setPhase('left', why === R.PARTICIPANT_REMOVED ? reason('REMOVED', 'A host removed you from the meeting.') : reason('JOINED_ELSEWHERE', 'You joined this meeting from another window.'));
      return;
    }
    const current = session;
    if (current && !current.signal.aborted) await rejoin(lk, current.signal);
  };

  /** Gets the call back with fresh tokens from the server until it works, the server says no, or the window closes. */
  const rejoin = async (lk: LiveKit, signal: AbortSignal): Promise<void> => {
    const since = ctx.state.reconnect?.since ?? Date.now();
    const giveUpAt = Math.max(since + windowMs, Date.now() + minOwnMs);
    ctx.setPhase('reconnecting', undefined, { reconnect: { attempt: 0, since, giveUpAt } });
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      const delay = backoffDelay(attempt - 1, REJOIN_BACKOFF);
      if (Date.now() + delay > giveUpAt) break;
      if (delay > 0 && !(await ctx.timers.pause(delay, signal))) return;
      ctx.patch({ reconnect: { attempt, since, giveUpAt } });
      try {
        await connect(lk, await ticket(signal), signal, true);
        return;
      } catch (error) {
        lastError = error;
        await closeRoom();
        if (signal.aborted) return;
        // The server said no (a host turned the user away, the meeting ended, they were removed,
        // it is locked): asking again would not change that.
        if (ctx.state.phase === 'denied' || !isTransient(error)) break;
      }
    }
    if (signal.aborted) return;
    // The session is over: whatever else followed it (the host's event stream) stops too.
    session?.abort();
    hooks.released();
    if (lastError instanceof MeetingError && lastError.code === 'MEETING_ENDED') {
      ctx.setPhase('ended', reasonOf(lastError));
      return;
    }
    const final =
      lastError instanceof MeetingError && !isTransient(lastError)
        ? lastError
        : new MeetingError('CONNECTION_LOST', 'The connection to the meeting was lost and could not be restored.', undefined, undefined, { seconds: Math.round((Date.now() - since) / 1000) });
    ctx.fail(final, true);
  };

  return {
    async join(options = {}) {
      ctx.assertUsable();
      const displayName = (options.displayName ?? ctx.state.displayName).trim();
      if (displayName.length > MAX_DISPLAY_NAME_LENGTH) {
        throw ctx.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, `The display name is longer than ${String(MAX_DISPLAY_NAME_LENGTH)} characters.`, undefined, undefined, { field: 'displayName', max: MAX_DISPLAY_NAME_LENGTH }), false);
      }
      if (IN_PROGRESS.has(ctx.state.phase)) return;
      session?.abort();
      const current = new AbortController();
      session = current;
      elsewhere = undefined;
      hooks.newSession();
      ctx.setPhase('connecting', undefined, { reason: undefined, lastError: undefined, displayName });
      // The call's code and the server's answer, fetched side by side.
      const loading = loadLiveKit();
      loading.catch(() => undefined);
      try {
        const admission = await admitOrHeld(displayName, current.signal, false);
        await connect(await loading, admission, current.signal, false);
      } catch (error) {
        if (current.signal.aborted) return;
        await closeRoom();
        const failure = error instanceof MeetingError ? error : new MeetingError('CONNECTION_FAILED', (error as Error).message);
        ctx.fail(failure, true);
        throw failure;
      }
    },
    async leave() {
      const wasIn = ctx.link.room !== undefined || ['waiting', 'reconnecting'].includes(ctx.state.phase);
      session?.abort();
      session = undefined;
      await closeRoom();
      hooks.released();
      if (wasIn) await ctx.api.leave(ctx.meetingId).catch(() => undefined);
      ctx.setPhase('left', reason('LEFT', 'You left the meeting.'));
    },
    async move(target) {
      const current = session;
      const lk = ctx.link.lk;
      if (!current || !lk || live === undefined) throw new MeetingError('NOT_CONNECTED', 'You are not in the meeting yet.');
      const next = target === undefined ? await admit(ctx.state.displayName, current.signal, true) : await target(current.signal);
      if (current.signal.aborted) return;
      elsewhere = target;
      await closeRoom();
      try {
        await connect(lk, next, current.signal, true);
      } catch {
        await closeRoom();
        // The ticket was good a moment ago: get the call back the usual way (that room, or the main one).
        if (!isAborted(current.signal)) await rejoin(lk, current.signal);
      }
    },
    async end() {
      await ctx.act(async () => {
        if (!ctx.state.abilities.endMeeting) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only the host can end the meeting.', 403);
        await ctx.api.endMeeting(ctx.meetingId);
        session?.abort();
        await closeRoom();
        hooks.released();
        ctx.setPhase('ended', reason('MEETING_ENDED', 'The meeting has ended.'));
      });
    },
    async dispose() {
      session?.abort();
      session = undefined;
      await closeRoom();
      hooks.released();
    },
  };
}

/** The breakout room a BREAKOUT_RETURN_NOT_ALLOWED refusal names (its details: `{breakoutId, roomId}`). */
function heldRoomOf(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const roomId = (details as { roomId?: unknown }).roomId;
  return typeof roomId === 'string' && roomId !== '' ? roomId : undefined;
}
