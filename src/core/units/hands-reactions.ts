// Raised hands and reactions. A hand is the participant's `hand` attribute (when it went up, in ms
// since epoch; '' when down), which only the server sets (POST /meetings/:id/hand). Reactions are
// short-lived data packets between participants, checked and rate-limited per sender here, since
// any participant can send any packet.
import type { Participant, RemoteParticipant, Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';
import type { ParticipantView } from '../controller/state.js';
import { HAND_ATTRIBUTE, handOf } from './participants.js';

export const REACTION_TOPIC = 'reactions';
const REACTION_LIFETIME_MS = 5000;
const REACTIONS_PER_SENDER = 5;
const REACTION_MAX_LENGTH = 16;

export interface HandsReactionsUnit {
  setHand(raised: boolean): Promise<void>;
  /** Hosts and co-hosts: takes down every raised hand; resolves with whose went down. */
  lowerAllHands(): Promise<string[]>;
  react(emoji: string): Promise<void>;
  bind(room: Room, lk: LiveKit): void;
  /** Forgets the rate-limit history (a new session). */
  reset(): void;
}

/** Raised hands in the order they went up. */
export function handsOf(participants: readonly ParticipantView[]): string[] {
  return participants
    .filter((p) => p.handRaised)
    .sort((a, b) => (a.handRaisedAt ?? 0) - (b.handRaisedAt ?? 0))
    .map((p) => p.identity);
}

export function isReaction(value: string): boolean {
  return value.length > 0 && value.length <= REACTION_MAX_LENGTH && !/\s/.test(value);
}

export function setupHandsReactions(ctx: CoreContext): HandsReactionsUnit {
  const sentAt = new Map<string, number[]>();

  /** At most REACTIONS_PER_SENDER per sender within a reaction's lifetime. */
  const allow = (identity: string): boolean => {
    const now = Date.now();
    const recent = (sentAt.get(identity) ?? []).filter((t) => now - t < REACTION_LIFETIME_MS);
    if (recent.length >= REACTIONS_PER_SENDER) return false;
    recent.push(now);
    sentAt.set(identity, recent);
    return true;
  };

  const show = (participant: Participant, emoji: string, isLocal: boolean): void => {
    const identity = participant.identity;
    const reaction = { id: `${identity}:${String(Date.now())}:${String(Math.random()).slice(2, 8)}`, identity, emoji, at: Date.now() };
    ctx.patch({ reactions: [...ctx.state.reactions, reaction] });
    ctx.events.emit('reaction', { identity, name: participant.name || identity, emoji, isLocal });
    ctx.timers.after(REACTION_LIFETIME_MS, () => {
      ctx.patch({ reactions: ctx.state.reactions.filter((r) => r.id !== reaction.id) });
    });
  };

  return {
    async setHand(raised) {
      ctx.requireRoom();
      // Through the server: nobody's client may set its own attributes (grants say so), and the
      // server sets `hand` for everyone to see, this user included.
      await ctx.api.setHand(ctx.meetingId, raised);
      ctx.scheduleRefresh();
    },
    async lowerAllHands() {
      ctx.requireRoom();
      ctx.requireModerator();
      // The server lowers them and sets each `hand` attribute; the room's updates bring the state.
      const { lowered } = await ctx.api.lowerHands(ctx.meetingId);
      ctx.scheduleRefresh();
      return lowered;
    },
    async react(emoji) {
      const value = emoji.trim();
      if (!isReaction(value)) throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'A reaction is one emoji.', undefined, undefined, { field: 'emoji' });
      const room = ctx.requireRoom();
      const local = room.localParticipant;
      if (!allow(local.identity)) throw new MeetingError('RATE_LIMITED', 'Too many reactions; wait a moment.', 429);
      await local.publishData(new TextEncoder().encode(JSON.stringify({ emoji: value })), { reliable: false, topic: REACTION_TOPIC });
      show(local, value, true);
    },
    bind(room, lk) {
      ctx.listeners.on(room, lk.RoomEvent.DataReceived, ((payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
        if (topic !== REACTION_TOPIC || !participant) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder().decode(payload));
        } catch {
          return;
        }
        const emoji = typeof parsed === 'object' && parsed !== null && 'emoji' in parsed ? parsed.emoji : undefined;
        if (typeof emoji !== 'string' || !isReaction(emoji) || !allow(participant.identity)) return;
        show(participant, emoji, false);
      }));
      // A hand that changes while the user is here is news; hands already up on arrival are state.
      ctx.listeners.on(room, lk.RoomEvent.ParticipantAttributesChanged, ((changed: Record<string, string>, participant: Participant) => {
        if (!(HAND_ATTRIBUTE in changed)) return;
        const raisedAt = handOf(participant);
        const news = {
          identity: participant.identity,
          name: participant.name || participant.identity,
          isLocal: participant.identity === room.localParticipant.identity,
          raised: raisedAt !== undefined,
          raisedAt,
        };
        ctx.events.emit(raisedAt === undefined ? 'hand-lowered' : 'hand-raised', news);
      }));
    },
    reset() {
      sentAt.clear();
    },
  };
}
