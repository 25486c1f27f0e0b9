// News from the meeting, as typed events. State says how things are; an event says that something
// just happened. What a page finds on arrival (the people already there, the chat history, hands
// already up, a recording already running) is state and fires nothing.
import type { ChatMessage, Poll, Role, Waiter } from '../api/types.js';
import type { Phase, PhaseReason } from './state.js';

export interface ParticipantNews {
  identity: string;
  name: string;
}

export interface ChatMessageNews extends ChatMessage {
  /** True for the messages this user sent. */
  isLocal: boolean;
}

export interface HandNews extends ParticipantNews {
  isLocal: boolean;
  /** False when the hand goes down again. */
  raised: boolean;
  /** When it went up (ms since epoch); undefined when lowered. */
  raisedAt: number | undefined;
}

export interface PollNews extends Poll {
  /** True when this user started it (`poll-opened`) or closed it (`poll-closed`). */
  isLocal: boolean;
}

export interface BreakoutMoveNews {
  /** The breakout room (null: the main room). */
  roomId: string | null;
  name: string | null;
}

export interface ReactionNews extends ParticipantNews {
  isLocal: boolean;
  emoji: string;
}

/** A failure as code and parameters: the UI words it through its catalogue (`error.<code>`). */
export interface ErrorNews {
  code: string;
  /** Values the translated text may name, e.g. `{ max: 80 }`. */
  params: Readonly<Record<string, string | number>>;
  /** English for developers and logs, never for people. */
  message: string;
  status: number | undefined;
  /** True when the meeting is over for this user (phase `error` or `denied`), false when only an action failed. */
  fatal: boolean;
}

export interface PhaseNews {
  phase: Phase;
  previous: Phase;
  /** Why, for `left`, `ended`, `denied` and `error`. */
  reason: PhaseReason | undefined;
}

export interface MeetingEventMap {
  /** The phase moved on (every change, `idle` → `lobby` included). */
  'phase-change': PhaseNews;
  /** The user is in the call; not fired again after a reconnection. */
  joined: { meetingId: string; identity: string; role: Role };
  /** The user is out: they left, were removed, or joined elsewhere (`reason.code` says which). */
  left: { reason: PhaseReason | undefined };
  /** A host ended the meeting. */
  ended: { reason: PhaseReason | undefined };
  /** The connection was lost and the core is getting it back; `attempt` counts rejoins (0 while LiveKit resumes on its own). */
  reconnecting: { attempt: number };
  /** Back in the call after `reconnecting`. */
  reconnected: { afterMs: number };
  error: ErrorNews;
  /** Someone else came into the call after the user did. */
  'participant-joined': ParticipantNews;
  /** Someone else left the call. */
  'participant-left': ParticipantNews;
  /** A message arrived live, or this user sent one; never for the history. */
  'chat-message': ChatMessageNews;
  'hand-raised': HandNews;
  'hand-lowered': HandNews;
  reaction: ReactionNews;
  /** A poll was started while the user is here (those found on arrival are state). */
  'poll-opened': PollNews;
  /** An open poll was closed; it stays in `state.polls` with its final results. */
  'poll-closed': PollNews;
  /** The user is being moved: to a breakout room (a host opened them, or the user chose one) or back to the main room (`roomId` null). */
  'breakout-moving': BreakoutMoveNews;
  /** The user is in a breakout room now; `ms` from the start of the move to being connected there. */
  'breakout-moved': BreakoutMoveNews & { ms: number };
  /** The user is back in the meeting's main room; `ms` as for `breakout-moved`. */
  'breakout-returned': { ms: number; closed: boolean };
  /** Breakout rooms were opened while the user is here (`roomId`: the user's own, or null). */
  'breakouts-opened': { roomId: string | null; name: string | null; closesAt: string | null };
  /** The breakout rooms were closed: everyone goes back to the main room. */
  'breakouts-closed': Record<string, never>;
  /** A host's message to everyone in the meeting, in whichever room (sent by the server to the main room and every breakout room). */
  'breakout-broadcast': { text: string; from: string };
  'recording-started': { at: number };
  'recording-stopped': { at: number };
  /** Hosts and co-hosts: someone new asks to join (those already waiting on arrival are state). */
  'waiter-arrived': Waiter;
}

export type MeetingEventName = keyof MeetingEventMap;
export type MeetingEventHandler<K extends MeetingEventName> = (detail: MeetingEventMap[K]) => void;

/** Typed handlers by event name; `on` returns the unsubscribe. Handlers run synchronously, after the state that goes with the news is current. */
export class Emitter<M> {
  private readonly handlers = new Map<keyof M, Set<(detail: never) => void>>();

  on<K extends keyof M>(type: K, handler: (detail: M[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => {
      this.handlers.get(type)?.delete(handler);
    };
  }

  emit<K extends keyof M>(type: K, detail: M[K]): void {
    const set = this.handlers.get(type);
    if (!set) return;
    for (const handler of [...set] as Array<(detail: M[K]) => void>) {
      try {
        handler(detail);
      } catch (error) {
        // One handler's bug must not silence the others, nor break the core that emitted.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  get listenerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  clear(): void {
    this.handlers.clear();
  }
}
