// Chat: messages are sent through the server, which stores them, applies the policy and delivers
// them to the room on the `chat` topic. Only those server packets count: a `chat` packet that a
// participant sent is a forgery (it would skip storage, rate limit and the sender's real name).
// The history read on arrival is state; only messages that arrive afterwards are news.
//
// Each breakout room has a chat of its own: in one, messages go to that room's chat and the panel
// shows that room's history; back in the main room, the main room's again (the server keeps both).
import type { RemoteParticipant, Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { ChatMessage } from '../api/types.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';

export const CHAT_TOPIC = 'chat';
export const CHAT_MAX_LENGTH = 4000;
const HISTORY_LIMIT = 200;

export interface ChatUnit {
  send(text: string): Promise<void>;
  setOpen(open: boolean): void;
  bind(room: Room, lk: LiveKit): void;
  /** Reads the history into state (no events); messages already here are kept. */
  loadHistory(signal: AbortSignal): Promise<void>;
}

export function setupChat(ctx: CoreContext): ChatUnit {
  /** The chat of the room the user is in, or on the way to: a breakout room's id, or null for the main room. */
  const here = (): string | null => {
    const { moving, currentRoomId } = ctx.state.breakouts;
    return moving !== null ? moving.roomId : currentRoomId;
  };
  /** Whose messages the state holds now (undefined: none read yet). */
  let shown: string | null | undefined;

  /** Adds `message` unless it is already there; true when it was new. */
  const add = (message: ChatMessage, own: boolean): boolean => {
    const chat = ctx.state.chat;
    if (chat.messages.some((m) => m.id === message.id)) return false;
    ctx.patch({ chat: { ...chat, messages: [...chat.messages, message], unread: chat.open || own ? chat.unread : chat.unread + 1 } });
    return true;
  };

  const live = (message: ChatMessage): void => {
    const isLocal = message.identity === ctx.state.localIdentity;
    if (add(message, isLocal)) ctx.events.emit('chat-message', { ...message, isLocal });
  };

  return {
    async send(text) {
      const value = text.trim();
      if (value.length === 0 || value.length > CHAT_MAX_LENGTH) {
        throw new MeetingError(MeetingError.INVALID_ARGUMENT, `A message has 1 to ${String(CHAT_MAX_LENGTH)} characters.`, undefined, undefined, { field: 'text', max: CHAT_MAX_LENGTH });
      }
      if (!ctx.state.abilities.chat) throw new MeetingError('FEATURE_DISABLED', 'Chat is not allowed for you in this meeting.', 403);
      const room = here();
      const message = room === null ? await ctx.api.sendChat(ctx.meetingId, value) : await ctx.api.sendBreakoutChat(ctx.meetingId, room, value);
      live({ id: message.id, identity: message.identity, displayName: message.displayName, text: message.text, sentAt: message.sentAt });
    },
    setOpen(open) {
      const chat = ctx.state.chat;
      ctx.patch({ chat: { ...chat, open, unread: open ? 0 : chat.unread } });
    },
    bind(room, lk) {
      ctx.listeners.on(room, lk.RoomEvent.DataReceived, ((payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string, _encryption?: unknown, senderIdentity?: string) => {
        if (topic !== CHAT_TOPIC) return;
        // From a participant (known or not yet known): not from the server, so not chat.
        if (participant !== undefined || (senderIdentity !== undefined && senderIdentity !== '')) return;
        const message = parseChatMessage(payload);
        if (message) live(message);
      }));
    },
    async loadHistory(signal) {
      const room = here();
      if (room !== shown && shown !== undefined) {
        // Another room's chat: what was shown belongs to the room just left.
        ctx.patch({ chat: { ...ctx.state.chat, messages: [], unread: 0 } });
      }
      shown = room;
      try {
        const options = { limit: HISTORY_LIMIT };
        const history = room === null ? await ctx.api.chatHistory(ctx.meetingId, options, signal) : await ctx.api.breakoutChatHistory(ctx.meetingId, room, options, signal);
        // Moved on while it was read: the next read fills the chat of where the user is now.
        if (here() !== room) return;
        const chat = ctx.state.chat;
        const known = new Set(chat.messages.map((m) => m.id));
        const fresh = history.filter((m) => !known.has(m.id));
        if (fresh.length === 0) return;
        const messages = [...fresh, ...chat.messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
        ctx.patch({ chat: { ...chat, messages } });
      } catch {
        // Chat history is not essential to being in the meeting.
      }
    },
  };
}

function parseChatMessage(payload: Uint8Array): ChatMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.identity !== 'string' || typeof v.text !== 'string' || typeof v.sentAt !== 'string' || typeof v.displayName !== 'string') return undefined;
  return { id: v.id, identity: v.identity, displayName: v.displayName, text: v.text, sentAt: v.sentAt };
}
