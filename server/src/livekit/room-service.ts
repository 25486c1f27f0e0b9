import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitCredentials } from './access-token.js';

/** What the server asks of a running LiveKit room. A port, so the routes never see the SDK. */
export interface RoomService {
  /** Delivers a reliable data packet to everyone in the room on `topic`. */
  sendData(roomName: string, payload: Uint8Array, options: { topic: string; destinationIdentities?: string[] }): Promise<void>;
}

/** LiveKit's server API lives on the same host as its WebSocket, over HTTP(S). */
export function apiUrlOf(livekitUrl: string): string {
  return livekitUrl.replace(/^ws(s?):\/\//, 'http$1://');
}

export function liveKitRoomService(url: string, credentials: LiveKitCredentials): RoomService {
  const client = new RoomServiceClient(apiUrlOf(url), credentials.apiKey, credentials.apiSecret, { requestTimeout: 5 });
  return {
    async sendData(roomName, payload, options) {
      await client.sendData(roomName, payload, DataPacket_Kind.RELIABLE, {
        topic: options.topic,
        ...(options.destinationIdentities === undefined ? {} : { destinationIdentities: options.destinationIdentities }),
      });
    },
  };
}
