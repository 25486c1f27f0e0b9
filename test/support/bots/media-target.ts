// The media server a suite talks to: the embedded one, started in this process on a free port (the
// default), or a real LiveKit named by LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET when
// MEETING_TEST_LIVEKIT=1 (`npm run test:livekit`). Suites that run on both assert only what a client
// or the server API can observe, never the embedded server's own state.
import { AccessToken, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';
import { startMediaServer, type MediaServer, type MediaServerOptions } from '../../../server/src/media/media-server.js';

export const EMBEDDED_KEY = 'bots-key';
export const EMBEDDED_SECRET = 'bots-secret-that-is-long-enough-for-hs256';

export interface MediaTarget {
  /** `ws(s)://…`, what a client connects to. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** The embedded server when the suite runs against it; undefined against LiveKit. */
  embedded: MediaServer | undefined;
  /** The server API (Twirp), as the token server uses it. */
  rooms: RoomServiceClient;
  /** A join token for `room`; `secret` signs it with another key's secret (a forgery). */
  token(room: string, identity: string, grant?: VideoGrant & { name?: string; metadata?: string; attributes?: Record<string, string> }, secret?: string): Promise<string>;
  /** A room name no earlier run used (a real LiveKit keeps rooms a while). */
  roomName(prefix: string): string;
  close(): Promise<void>;
}

export interface LiveKitSettings {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** LiveKit's settings when the suites were asked to run against it, else undefined. */
export function liveKitUnderTest(env: NodeJS.ProcessEnv = process.env): LiveKitSettings | undefined {
  if (env.MEETING_TEST_LIVEKIT !== '1') return undefined;
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = env;
  if (!url || !apiKey || !apiSecret) throw new Error('MEETING_TEST_LIVEKIT=1 needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET');
  return { url, apiKey, apiSecret };
}

export async function startMediaTarget(options: Partial<MediaServerOptions> = {}): Promise<MediaTarget> {
  const livekit = liveKitUnderTest();
  const embedded = livekit ? undefined : await startMediaServer({ apiKey: EMBEDDED_KEY, apiSecret: EMBEDDED_SECRET, port: 0, ...options });
  const settings = livekit ?? { url: embedded?.url ?? '', apiKey: EMBEDDED_KEY, apiSecret: EMBEDDED_SECRET };
  const httpUrl = settings.url.replace(/^ws/, 'http');
  const run = Date.now().toString(36);
  let rooms = 0;
  return {
    ...settings,
    embedded,
    rooms: new RoomServiceClient(httpUrl, settings.apiKey, settings.apiSecret),
    async token(room, identity, grant = {}, secret = settings.apiSecret) {
      const { name, metadata, attributes, ...video } = grant;
      const at = new AccessToken(settings.apiKey, secret, { identity, name: name ?? identity, ttl: 600, ...(metadata ? { metadata } : {}), ...(attributes ? { attributes } : {}) });
      at.addGrant({ roomJoin: true, room, ...video });
      return at.toJwt();
    },
    roomName(prefix) {
      return `${prefix}-${run}-${String(++rooms)}`;
    },
    async close() {
      await embedded?.close();
    },
  };
}
