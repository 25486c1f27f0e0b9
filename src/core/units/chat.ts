// Chat: messages are sent through the server, which stores them, applies the policy and delivers
// them to the room on the `chat` topic. Only those server packets count: a `chat` packet that a
// participant sent is a forgery (it would skip storage, rate limit and the sender's real name).
// The history read on arrival is state; only messages that arrive afterwards are news.
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
      const message = await ctx.api.sendChat(ctx.meetingId, value);
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
      try {
        const history = await ctx.api.chatHistory(ctx.meetingId, { limit: HISTORY_LIMIT }, signal);
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
