// What the breakout suites share: calls to the breakout routes, and a recorder of what the media
// server delivers to a room on the `breakouts` topic (the real delivery path, observed).
import type { DataPacket } from '@livekit/protocol';
import type { BreakoutSession, BreakoutToken } from '../../src/contract/index.js';
import type { MediaServer } from '../../server/src/media/media-server.js';
import type { BreakoutPacket } from '../../server/src/services/breakout-rooms.js';
import { api, type JsonResponse } from '../support/app.js';

type Refusal = { error?: { code: string; message: string; details?: Array<{ field: string; message: string }> } };
export type SessionAnswer = BreakoutSession & Refusal;
export type TokenAnswer = BreakoutToken & Refusal;
export type BroadcastAnswer = { delivered?: number } & Refusal;

export interface BreakoutCalls {
  open(meetingId: string, token: string | undefined, body: unknown): Promise<JsonResponse<SessionAnswer>>;
  get(meetingId: string, token?: string): Promise<JsonResponse<SessionAnswer>>;
  close(meetingId: string, token?: string): Promise<JsonResponse<SessionAnswer>>;
  join(meetingId: string, roomId: string, token?: string): Promise<JsonResponse<TokenAnswer>>;
  broadcast(meetingId: string, token: string | undefined, body: unknown): Promise<JsonResponse<BroadcastAnswer>>;
}

export function breakoutCalls(baseUrl: string): BreakoutCalls {
  const auth = (token?: string) => (token === undefined ? {} : { token });
  return {
    open: (meetingId, token, body) => api<SessionAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts`, { ...auth(token), body }),
    get: (meetingId, token) => api<SessionAnswer>(baseUrl, 'GET', `/meetings/${meetingId}/breakouts`, auth(token)),
    close: (meetingId, token) => api<SessionAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/close`, auth(token)),
    join: (meetingId, roomId, token) => api<TokenAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/${roomId}/join`, auth(token)),
    broadcast: (meetingId, token, body) => api<BroadcastAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/breakouts/broadcast`, { ...auth(token), body }),
  };
}

export interface BreakoutPushes {
  readonly packets: BreakoutPacket[];
  /** Resolves with the first packet (already delivered or still to come) that matches. */
  next(match: (packet: BreakoutPacket) => boolean, timeoutMs?: number): Promise<BreakoutPacket>;
  stop(): void;
}

/** Records what the media server delivers to `roomName` on the `breakouts` topic (the room is created if needed). */
export function recordBreakoutPushes(media: MediaServer, roomName: string): BreakoutPushes {
  const room = media.registry.ensure(roomName);
  const packets: BreakoutPacket[] = [];
  const waiters = new Set<() => void>();
  const original = room.deliver.bind(room);
  room.deliver = (packet: DataPacket, ...rest) => {
    if (packet.value.case === 'user' && packet.value.value.topic === 'breakouts') {
      packets.push(JSON.parse(new TextDecoder().decode(packet.value.value.payload)) as BreakoutPacket);
      for (const wake of [...waiters]) wake();
    }
    original(packet, ...rest);
  };
  return {
    packets,
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = packets.find(match);
        if (found) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no matching breakouts packet within ${String(timeoutMs)} ms; got ${JSON.stringify(packets)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, remaining);
          waiters.add(wake);
        });
      }
    },
    stop() {
      room.deliver = original;
    },
  };
}

/** A data packet the media server delivered to a room: its topic, its payload read as JSON, and who was connected to receive it. */
export interface DeliveredData {
  topic: string;
  body: Record<string, unknown>;
  to: string[];
}

export interface RoomData {
  readonly delivered: DeliveredData[];
  /** Resolves with the first delivery (already made or still to come) that matches. */
  next(match: (data: DeliveredData) => boolean, timeoutMs?: number): Promise<DeliveredData>;
  stop(): void;
}

/** Records what the media server delivers in `roomName` on `topics` and to whom (the room is created if needed). */
export function recordRoomData(media: MediaServer, roomName: string, topics: readonly string[]): RoomData {
  const room = media.registry.ensure(roomName);
  const delivered: DeliveredData[] = [];
  const waiters = new Set<() => void>();
  const original = room.deliver.bind(room);
  room.deliver = (packet: DataPacket, kind, destinations, exceptIdentity) => {
    if (packet.value.case === 'user' && topics.includes(packet.value.value.topic ?? '')) {
      const to = room
        .participants()
        .map((session) => session.identity)
        .filter((identity) => identity !== exceptIdentity && (destinations.length === 0 || destinations.includes(identity)));
      delivered.push({ topic: packet.value.value.topic ?? '', body: JSON.parse(new TextDecoder().decode(packet.value.value.payload)) as Record<string, unknown>, to });
      for (const wake of [...waiters]) wake();
    }
    original(packet, kind, destinations, exceptIdentity);
  };
  return {
    delivered,
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = delivered.find(match);
        if (found) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no matching delivery in ${roomName} within ${String(timeoutMs)} ms; got ${JSON.stringify(delivered)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, remaining);
          waiters.add(wake);
        });
      }
    },
    stop() {
      room.deliver = original;
    },
  };
}

export type ChatAnswer = { id: string; identity: string; displayName: string; text: string; sentAt: string; delivered?: boolean } & Refusal;
export type ChatList = Array<{ id: string; identity: string; displayName: string; text: string; sentAt: string }> & Refusal;

export interface ChatCalls {
  /** `roomId` null: the meeting's main chat. */
  send(meetingId: string, roomId: string | null, token: string | undefined, body: unknown): Promise<JsonResponse<ChatAnswer>>;
  list(meetingId: string, roomId: string | null, token: string | undefined, query?: string): Promise<JsonResponse<ChatList>>;
}

export function chatCalls(baseUrl: string): ChatCalls {
  const auth = (token?: string) => (token === undefined ? {} : { token });
  const path = (meetingId: string, roomId: string | null) => (roomId === null ? `/meetings/${meetingId}/chat` : `/meetings/${meetingId}/breakouts/${roomId}/chat`);
  return {
    send: (meetingId, roomId, token, body) => api<ChatAnswer>(baseUrl, 'POST', path(meetingId, roomId), { ...auth(token), body }),
    list: (meetingId, roomId, token, query = '') => api<ChatList>(baseUrl, 'GET', `${path(meetingId, roomId)}${query}`, auth(token)),
  };
}
