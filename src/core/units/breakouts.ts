// Breakout rooms: opened and closed by hosts through the server, which tells the meeting on the
// `breakouts` topic (what happened, never who is where: a `breakouts` packet from a participant is
// a forgery and changes nothing). On an open the unit reads the session from the server, which
// shows an attendee their own room only, and moves the user there; on a close it brings them back.
// A move leaves the current LiveKit room and joins the other with a token from the server, keeping
// the devices and what the user had on (see connection.ts `move`); the phase stays `connected`.
// A session found on arrival is state; one opened or closed afterwards is news. A session may keep
// attendees in their rooms until the close (`allowReturn: false`): then `mayReturn` is false and
// the server refuses them the main room, so the way back is not offered.
import type { RemoteParticipant, Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { BreakoutInput, BreakoutSession } from '../api/types.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';
import { NO_BREAKOUTS, type BreakoutState } from '../controller/state.js';
import type { RoomTarget } from './connection.js';

export const BREAKOUTS_TOPIC = 'breakouts';
export const BREAKOUT_ROOMS_MAX = 50;
export const BREAKOUT_DURATION_MIN_S = 60;
export const BREAKOUT_DURATION_MAX_S = 14_400;

export interface BreakoutsUnit {
  open(input: BreakoutInput): Promise<void>;
  close(): Promise<void>;
  /** Sends a message to the main room and every open breakout room (hosts and co-hosts); how many rooms it reached. */
  broadcast(text: string): Promise<number>;
  /** Moves the user to a breakout room (their own; any for hosts and co-hosts). */
  join(roomId: string): Promise<void>;
  returnToMain(): Promise<void>;
  /** Reads the session again (the counts per room change as people move). */
  refresh(signal?: AbortSignal): Promise<void>;
  bind(room: Room, lk: LiveKit): void;
  /** Reads the open session into state on connecting (no events); moves an assigned attendee who is not in their room yet. */
  load(signal: AbortSignal): Promise<void>;
  /** The connection went back to the main room by itself. */
  backInMain(): void;
  /** The main room refused the user (the host keeps them in breakout room `roomId`): the way into that room instead. */
  heldIn(roomId: string): RoomTarget;
  /** True while a move is under way (the room being joined is not a fresh entry). */
  readonly moving: boolean;
  reset(): void;
}

export interface BreakoutsDeps {
  move(target: RoomTarget | undefined): Promise<void>;
}

/** The server's packets on the topic: a change of session, or a host's message to every room. */
type Packet = { event: 'opened' | 'closed'; breakoutId: string } | { event: 'broadcast'; breakoutId: string; text: string; from: string };

/** Longest message to every room (the server's rule: 1..500 characters after trimming, no control characters). */
export const BREAKOUT_BROADCAST_MAX = 500;

export function setupBreakouts(ctx: CoreContext, deps: BreakoutsDeps): BreakoutsUnit {
  /** The session whose room the user left by choice: not moved there again by itself. */
  let stayedOut: string | undefined;
  /** Moves run one after the other. */
  let queue: Promise<void> = Promise.resolve();
  let movingNow = false;

  const slice = (): BreakoutState => ctx.state.breakouts;
  const patch = (changes: Partial<BreakoutState>): void => {
    ctx.patch({ breakouts: { ...slice(), ...changes } });
  };

  const assignedIn = (session: BreakoutSession | null): string | null => {
    const me = ctx.state.localIdentity;
    if (session === null || me === undefined) return null;
    return session.rooms.find((room) => room.identities.includes(me))?.id ?? null;
  };

  const setSession = (session: BreakoutSession | null): void => {
    patch({ session, assignedRoomId: assignedIn(session), mayReturn: session === null || session.allowReturn || ctx.state.abilities.moderate });
  };

  const read = async (signal?: AbortSignal): Promise<BreakoutSession | null> => {
    try {
      return await ctx.api.getBreakouts(ctx.meetingId, signal);
    } catch (error) {
      if (error instanceof MeetingError && (error.code === 'BREAKOUTS_NOT_OPEN' || error.code === 'FEATURE_DISABLED')) return null;
      throw error;
    }
  };

  const serial = (step: () => Promise<void>): Promise<void> => {
    const run = queue.then(step);
    queue = run.catch(() => undefined);
    return run;
  };

  const targetOf = (roomId: string): RoomTarget => async (signal) => {
    const ticket = await ctx.api.joinBreakout(ctx.meetingId, roomId, signal);
    return { token: ticket.token, livekitUrl: ticket.livekitUrl, identity: ticket.identity, role: ticket.role };
  };

  const moveTo = (roomId: string): Promise<void> =>
    serial(async () => {
      if (slice().currentRoomId === roomId) return;
      const name = slice().session?.rooms.find((room) => room.id === roomId)?.name ?? null;
      const started = performance.now();
      movingNow = true;
      patch({ moving: { roomId, name } });
      ctx.events.emit('breakout-moving', { roomId, name });
      try {
        await deps.move(targetOf(roomId));
        patch({ currentRoomId: roomId });
        ctx.events.emit('breakout-moved', { roomId, name, ms: Math.round(performance.now() - started) });
      } finally {
        movingNow = false;
        patch({ moving: null });
      }
    });

  const moveBack = (closed: boolean): Promise<void> =>
    serial(async () => {
      if (slice().currentRoomId === null) return;
      const started = performance.now();
      movingNow = true;
      patch({ moving: { roomId: null, name: null } });
      ctx.events.emit('breakout-moving', { roomId: null, name: null });
      try {
        await deps.move(undefined);
        patch({ currentRoomId: null });
        ctx.events.emit('breakout-returned', { ms: Math.round(performance.now() - started), closed });
      } finally {
        movingNow = false;
        patch({ moving: null });
      }
    });

  /** An attendee goes to their room when one is open for them, unless they came back from it by choice. */
  const follow = async (): Promise<void> => {
    const { session, assignedRoomId, currentRoomId } = slice();
    if (session === null || assignedRoomId === null || currentRoomId !== null || stayedOut === session.id) return;
    if (ctx.state.abilities.moderate) return;
    await moveTo(assignedRoomId).catch((error: unknown) => {
      ctx.fail(error instanceof MeetingError ? error : new MeetingError('ACTION_FAILED', (error as Error).message), false);
    });
  };

  const onPacket = async (packet: Packet): Promise<void> => {
    if (packet.event === 'broadcast') {
      ctx.events.emit('breakout-broadcast', { text: packet.text, from: packet.from });
      return;
    }
    if (packet.event === 'opened') {
      const session = await read().catch(() => null);
      if (session === null || session.id !== packet.breakoutId) return;
      setSession(session);
      const mine = session.rooms.find((room) => room.id === slice().assignedRoomId) ?? null;
      ctx.events.emit('breakouts-opened', { roomId: mine?.id ?? null, name: mine?.name ?? null, closesAt: session.closesAt });
      await follow();
      return;
    }
    const open = slice().session;
    // A close of a session this user never saw (replaced, or before arrival) changes nothing here.
    if (open !== null && open.id !== packet.breakoutId) return;
    setSession(null);
    stayedOut = undefined;
    ctx.events.emit('breakouts-closed', {});
    await moveBack(true).catch((error: unknown) => {
      ctx.fail(error instanceof MeetingError ? error : new MeetingError('ACTION_FAILED', (error as Error).message), false);
    });
  };

  return {
    get moving() {
      return movingNow;
    },
    async open(input) {
      if (!ctx.state.abilities.manageBreakouts) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only hosts and co-hosts can open breakout rooms.', 403);
      const error = breakoutInputError(input);
      if (error) throw error;
      const session = await ctx.api.openBreakouts(ctx.meetingId, input);
      stayedOut = undefined;
      setSession(session);
    },
    async close() {
      if (!ctx.state.abilities.manageBreakouts) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only hosts and co-hosts can close breakout rooms.', 403);
      const closed = await ctx.api.closeBreakouts(ctx.meetingId);
      if (slice().session?.id === closed.id) setSession(null);
      // The host goes back too; the packet may come after (or, in a breakout room already deleted, never).
      await moveBack(true);
    },
    async broadcast(text) {
      if (!ctx.state.abilities.manageBreakouts) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only hosts and co-hosts can send a message to every room.', 403);
      const error = broadcastTextError(text);
      if (error) throw error;
      if (slice().session === null) throw new MeetingError('BREAKOUTS_NOT_OPEN', 'No breakout rooms are open.', 404);
      const { delivered } = await ctx.api.broadcastToBreakouts(ctx.meetingId, text.trim());
      return delivered;
    },
    async join(roomId) {
      if (slice().session?.rooms.some((room) => room.id === roomId) !== true) {
        throw new MeetingError('BREAKOUTS_NOT_OPEN', 'This breakout room is not open.', 404);
      }
      await moveTo(roomId);
    },
    async returnToMain() {
      // The server refuses it too (BREAKOUT_RETURN_NOT_ALLOWED); asking first spares a refused round trip.
      if (slice().session?.allowReturn === false && !ctx.state.abilities.moderate) {
        throw new MeetingError('BREAKOUT_RETURN_NOT_ALLOWED', 'The host keeps everyone in their breakout rooms until they close.', 403);
      }
      stayedOut = slice().session?.id;
      await moveBack(false);
    },
    async refresh(signal) {
      setSession(await read(signal));
    },
    bind(room, lk) {
      ctx.listeners.on(room, lk.RoomEvent.DataReceived, ((payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string, _encryption?: unknown, senderIdentity?: string) => {
        if (topic !== BREAKOUTS_TOPIC) return;
        // From a participant (known or not yet known): not from the server, so not news.
        if (participant !== undefined || (senderIdentity !== undefined && senderIdentity !== '')) return;
        const packet = parseBreakoutPacket(payload);
        if (packet) void onPacket(packet);
      }));
    },
    async load(signal) {
      // After a move the session is already known; a fresh read still updates the counts.
      const session = await read(signal).catch(() => slice().session);
      if (signal.aborted) return;
      setSession(session);
      if (!movingNow) await follow();
    },
    backInMain() {
      patch({ currentRoomId: null });
    },
    heldIn(roomId) {
      patch({ currentRoomId: roomId, mayReturn: false });
      return targetOf(roomId);
    },
    reset() {
      stayedOut = undefined;
      ctx.patch({ breakouts: NO_BREAKOUTS });
    },
  };
}

/** What is wrong with breakout rooms to open (the server's rules), or undefined. */
export function breakoutInputError(input: BreakoutInput): MeetingError | undefined {
  const invalid = (field: string, message: string, params: Record<string, number> = {}) => new MeetingError(MeetingError.INVALID_ARGUMENT, message, undefined, undefined, { field, ...params });
  const count = input.rooms?.length ?? input.split ?? 0;
  if ((input.rooms === undefined) === (input.split === undefined)) return invalid('rooms', 'Give either the rooms or how many to split into.');
  if (!Number.isInteger(count) || count < 1 || count > BREAKOUT_ROOMS_MAX) return invalid('rooms', `Open 1 to ${String(BREAKOUT_ROOMS_MAX)} rooms.`, { min: 1, max: BREAKOUT_ROOMS_MAX });
  if (input.rooms?.some((room) => room.name.trim().length === 0 || room.name.trim().length > 100)) return invalid('rooms', 'Each room needs a name of 1 to 100 characters.', { max: 100 });
  const everyone = input.rooms?.flatMap((room) => room.identities) ?? [];
  if (new Set(everyone).size !== everyone.length) return invalid('rooms', 'A person goes to one room at most.');
  const duration = input.durationS;
  if (duration !== undefined && (!Number.isInteger(duration) || duration < BREAKOUT_DURATION_MIN_S || duration > BREAKOUT_DURATION_MAX_S)) {
    return invalid('durationS', `A timer runs ${String(BREAKOUT_DURATION_MIN_S / 60)} to ${String(BREAKOUT_DURATION_MAX_S / 60)} minutes.`, { min: BREAKOUT_DURATION_MIN_S / 60, max: BREAKOUT_DURATION_MAX_S / 60 });
  }
  return undefined;
}

/** What is wrong with a message to every room (the server's rules), or undefined. */
export function broadcastTextError(text: string): MeetingError | undefined {
  const invalid = (message: string) => new MeetingError(MeetingError.INVALID_ARGUMENT, message, undefined, undefined, { field: 'text', max: BREAKOUT_BROADCAST_MAX });
  if (/\p{Cc}/u.test(text)) return invalid('The message must not contain control characters.');
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > BREAKOUT_BROADCAST_MAX) return invalid(`Write 1 to ${String(BREAKOUT_BROADCAST_MAX)} characters.`);
  return undefined;
}

/** The server's packet on the `breakouts` topic, or undefined when the packet is not one. */
export function parseBreakoutPacket(payload: Uint8Array): Packet | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.type !== 'breakouts' || typeof v.breakoutId !== 'string') return undefined;
  if (v.event === 'broadcast') {
    if (typeof v.text !== 'string' || typeof v.from !== 'string' || v.text.length === 0 || v.text.length > BREAKOUT_BROADCAST_MAX) return undefined;
    return { event: 'broadcast', breakoutId: v.breakoutId, text: v.text, from: v.from };
  }
  if (v.event !== 'opened' && v.event !== 'closed') return undefined;
  return { event: v.event, breakoutId: v.breakoutId };
}
