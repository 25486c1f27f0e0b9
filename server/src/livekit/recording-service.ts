import { EgressClient, EncodedFileOutput } from 'livekit-server-sdk';
import type { LiveKitCredentials } from './access-token.js';
import { apiUrlOf } from './room-service.js';

/** Recording through LiveKit Egress. A port, so routes never see the SDK. */
export interface RecordingService {
  /** Starts a composite recording of the room; resolves with the egress id. */
  start(roomName: string, filepath: string): Promise<string>;
  stop(egressId: string): Promise<void>;
}

export function liveKitRecordingService(url: string, credentials: LiveKitCredentials): RecordingService {
  const client = new EgressClient(apiUrlOf(url), credentials.apiKey, credentials.apiSecret);
  return {
    async start(roomName, filepath) {
      // Where the file lands (bucket, disk) is the egress service's own storage configuration.
      const info = await client.startRoomCompositeEgress(roomName, { file: new EncodedFileOutput({ filepath }) }, { layout: 'grid' });
      return info.egressId;
    },
    async stop(egressId) {
      await client.stopEgress(egressId);
    },
  };
}
