// The token server in this process, in front of the media target (the embedded media server, or the
// LiveKit under test), as a deployment runs them: bots and pages get their LiveKit tokens from it.
import { startApp, type TestApp } from '../app.js';
import { startMediaTarget, type MediaTarget } from './media-target.js';
import type { MediaServerOptions } from '../../../server/src/media/media-server.js';

export interface BotStack {
  /** The token server's base URL (its API is under /api/v1). */
  apiUrl: string;
  app: TestApp;
  target: MediaTarget;
  close(): Promise<void>;
}

export async function startBotStack(options: { media?: Partial<MediaServerOptions>; env?: Record<string, string> } = {}): Promise<BotStack> {
  const target = await startMediaTarget(options.media);
  let app: TestApp;
  try {
    app = await startApp({ LIVEKIT_URL: target.url, LIVEKIT_API_KEY: target.apiKey, LIVEKIT_API_SECRET: target.apiSecret, ...options.env });
  } catch (error) {
    await target.close();
    throw error;
  }
  // LiveKit's webhooks go to the token server, as an operator configures them (a real LiveKit's
  // are configured on its side).
  if (target.embedded) target.embedded.webhooks.url = `${app.url}/api/v1/livekit/webhook`;
  return {
    apiUrl: app.url,
    app,
    target,
    async close() {
      // The media server first, as in a real shutdown, so its last webhooks reach a live token server.
      await target.close();
      await app.close();
    },
  };
}
