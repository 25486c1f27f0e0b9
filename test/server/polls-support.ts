// What the polls suites share: calls to the polls routes, and a recorder of what the media server
// delivers to a room on the `polls` topic (the real delivery path, observed, not replaced).
import type { MediaServer } from '../../server/src/media/media-server.js';
import type { PollPacket } from '../../server/src/services/poll-broadcast.js';
import type { PollView } from '../../server/src/store/polls.js';
import { api, type JsonResponse } from '../support/app.js';
import { recordRoomDeliveries } from './helpers/room-deliveries.js';

export type PollAnswer = PollView & { error?: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

export interface PollCalls {
  create(meetingId: string, token: string, body: unknown): Promise<JsonResponse<PollAnswer>>;
  vote(meetingId: string, pollId: string, token: string, options: unknown): Promise<JsonResponse<PollAnswer>>;
  close(meetingId: string, pollId: string, token: string): Promise<JsonResponse<PollAnswer>>;
  list(meetingId: string, token?: string): Promise<JsonResponse<PollAnswer[] & { error?: { code: string } }>>;
}

export function pollCalls(baseUrl: string): PollCalls {
  const auth = (token?: string) => (token === undefined ? {} : { token });
  return {
    create: (meetingId, token, body) => api<PollAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/polls`, { token, body }),
    vote: (meetingId, pollId, token, options) => api<PollAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/polls/${pollId}/votes`, { token, body: { options } }),
    close: (meetingId, pollId, token) => api<PollAnswer>(baseUrl, 'POST', `/meetings/${meetingId}/polls/${pollId}/close`, { token }),
    list: (meetingId, token) => api<PollAnswer[] & { error?: { code: string } }>(baseUrl, 'GET', `/meetings/${meetingId}/polls`, auth(token)),
  };
}

export interface RoomPushes {
  /** Every `polls` packet delivered to the room so far, raw and parsed. */
  readonly packets: Array<{ raw: string; packet: PollPacket }>;
  /** Resolves with the first packet (already delivered or still to come) that matches. */
  next(match: (packet: PollPacket) => boolean, timeoutMs?: number): Promise<PollPacket>;
  stop(): void;
}

/** Records what the media server delivers to `roomName` on the `polls` topic (the room is created if needed). */
export function recordPollPushes(media: MediaServer, roomName: string): RoomPushes {
  const recorder = recordRoomDeliveries(
    media,
    roomName,
    ({ topic, text }) => (topic === 'polls' ? { raw: text, packet: JSON.parse(text) as PollPacket } : undefined),
    (packets) => `${String(packets.length)} polls packets`,
  );
  return {
    packets: recorder.items,
    async next(match, timeoutMs) {
      return (await recorder.next((p) => match(p.packet), timeoutMs)).packet;
    },
    stop: () => {
      recorder.stop();
    },
  };
}
