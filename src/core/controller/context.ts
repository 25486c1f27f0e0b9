// What every unit of the core shares: the one store, the event emitter, the server client, the
// timers, the room listeners and the phase. Each unit owns its own slice of the state; this holds
// the plumbing they would otherwise each write again.
import type { Room, RoomEvent } from 'livekit-client';
import type { MeetingApiClient } from '../api/meeting-api-client.js';
import { MeetingError } from '../api/meeting-error.js';
import { Emitter, type MeetingEventMap } from './events.js';
import type { LiveKit } from './livekit.js';
import type { LocalMedia, MeetingState, Phase, PhaseReason } from './state.js';
import { Store, merged } from './store.js';
import { Timers } from './timers.js';

/** The room's listeners, registered through one place so leaving removes every one of them. */
export class RoomListeners {
  private readonly disposers: Array<() => void> = [];

  on(room: Room, event: RoomEvent, handler: (...args: never[]) => void): void {
    room.on(event, handler);
    this.disposers.push(() => room.off(event, handler));
  }

  get size(): number {
    return this.disposers.length;
  }

  clear(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}

/** The room the core is connected to, and the livekit-client module once it has been loaded. */
export interface RoomLink {
  room: Room | undefined;
  lk: LiveKit | undefined;
}

export class CoreContext {
  readonly store: Store<MeetingState>;
  readonly events = new Emitter<MeetingEventMap>();
  readonly timers = new Timers();
  readonly listeners = new RoomListeners();
  readonly link: RoomLink = { room: undefined, lk: undefined };
  private refreshScheduled = false;
  private disposed = false;
  /** Set by the facade: rebuilds the derived participant state from the room. */
  onRefresh: () => void = () => undefined;

  constructor(
    readonly api: MeetingApiClient,
    readonly meetingId: string,
    initial: MeetingState,
  ) {
    this.store = new Store(initial);
  }

  get state(): MeetingState {
    return this.store.current;
  }

  /** Applies `changes`; one that changes nothing leaves the state (and its listeners) alone. */
  patch(changes: Partial<MeetingState>): void {
    this.store.update((state) => merged(state, changes));
  }

  patchLocal(changes: Partial<LocalMedia>): void {
    this.store.update((state) => {
      const local = merged(state.local, changes);
      return local === state.local ? state : { ...state, local };
    });
  }

  /**
   * Moves to `phase` and tells the listeners, with the events that go with the move: `joined`,
   * `left`, `ended`, `reconnecting`, `reconnected`. Staying in a phase tells nothing.
   */
  setPhase(phase: Phase, reason?: PhaseReason, changes: Partial<MeetingState> = {}): void {
    const previous = this.state.phase;
    const lostSince = this.state.reconnect?.since;
    const settled = phase === 'reconnecting' || phase === 'waiting' ? {} : { reconnect: undefined };
    this.patch({ ...settled, ...changes, phase, ...(reason === undefined ? {} : { reason }) });
    if (previous === phase) return;
    const state = this.state;
    this.events.emit('phase-change', { phase, previous, reason: state.reason });
    switch (phase) {
      case 'connected':
        if (previous === 'reconnecting') {
          this.events.emit('reconnected', { afterMs: lostSince === undefined ? 0 : Date.now() - lostSince });
        } else if (state.localIdentity !== undefined && state.role !== undefined) {
          this.events.emit('joined', { meetingId: this.meetingId, identity: state.localIdentity, role: state.role });
        }
        break;
      case 'reconnecting':
        this.events.emit('reconnecting', { attempt: state.reconnect?.attempt ?? 0 });
        break;
      case 'left':
        this.events.emit('left', { reason: state.reason });
        break;
      case 'ended':
        this.events.emit('ended', { reason: state.reason });
        break;
      default:
        break;
    }
  }

  /** Coalesces the room's bursts of events into one rebuild at the end of the task. */
  scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    queueMicrotask(() => {
      this.refreshScheduled = false;
      this.onRefresh();
    });
  }

  /**
   * Records a failure in state and as an `error` event. A fatal one ends the meeting for this user
   * (phase `error`, or `denied` kept as it is); otherwise only `lastError` changes.
   */
  fail(error: MeetingError, fatal: boolean): MeetingError {
    const reason = reasonOf(error);
    if (fatal && this.state.phase !== 'denied') this.setPhase('error', reason, { lastError: reason });
    else this.patch({ lastError: reason });
    this.events.emit('error', { code: error.code, params: error.params, message: error.message, status: error.status, fatal });
    return error;
  }

  /** Runs an action; a failure is recorded and rethrown to the caller, typed. */
  async act(action: () => Promise<void>): Promise<void> {
    try {
      this.assertUsable();
      await action();
    } catch (error) {
      throw this.fail(error instanceof MeetingError ? error : new MeetingError('ACTION_FAILED', (error as Error).message), false);
    }
  }

  requireRoom(): Room {
    if (!this.link.room) throw new MeetingError('NOT_CONNECTED', 'You are not in the meeting yet.');
    return this.link.room;
  }

  requireModerator(): void {
    if (!this.state.abilities.moderate) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only hosts and co-hosts can do this.', 403);
  }

  assertUsable(): void {
    if (this.disposed) throw new MeetingError('DISPOSED', 'This meeting controller has been disposed.');
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  markDisposed(): void {
    this.disposed = true;
    this.timers.clear();
  }
}

export function reasonOf(error: MeetingError): PhaseReason {
  return Object.keys(error.params).length > 0 ? { code: error.code, message: error.message, params: error.params } : { code: error.code, message: error.message };
}

/** A reason the core states itself (not from a failure). */
export function reason(code: string, message: string): PhaseReason {
  return { code, message };
}
