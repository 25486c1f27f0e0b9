// The token server in this process, in front of the media target (the embedded media server, or the
// LiveKit under test), as a deployment runs them: bots and pages get their LiveKit tokens from it.
import { startApp, type TestApp } from '../app.js';
import { liveKitUnderTest, mediaTargetAt, startMediaTarget, type MediaTarget } from './media-target.js';
import type { MediaServerOptions } from '../../../server/src/media/media-server.js';
import { API_KEY, API_SECRET, startMediaProcess, type MediaProcess } from '../../e2e/media-page/harness.js';

export interface BotStack {
  /** The token server's base URL (its API is under /api/v1). */
  apiUrl: string;
  app: TestApp;
  target: MediaTarget;
  /** The embedded media server's process, when it runs in one (`mediaProcess`). */
  process: MediaProcess | undefined;
  close(): Promise<void>;
}

/**
 * `mediaProcess`: the embedded media server runs in its own process (as `npm run media-server`), so
 * that many bots in this process and the server do not share one event loop; ignored against LiveKit.
 */
export async function startBotStack(options: { media?: Partial<MediaServerOptions>; env?: Record<string, string>; mediaProcess?: boolean } = {}): Promise<BotStack> {
  const own = options.mediaProcess === true && liveKitUnderTest() === undefined ? await startMediaProcess({ MEDIA_MAX_PARTICIPANTS: '0' }) : undefined;
  const target: MediaTarget = own
    ? mediaTargetAt({ url: own.url, apiKey: API_KEY, apiSecret: API_SECRET }, undefined)
    : await startMediaTarget(options.media);
  let app: TestApp;
  try {
    app = await startApp({ LIVEKIT_URL: target.url, LIVEKIT_API_KEY: target.apiKey, LIVEKIT_API_SECRET: target.apiSecret, ...options.env });
  } catch (error) {
    await target.close();
    await own?.stop();
    throw error;
  }
  // LiveKit's webhooks go to the token server, as an operator configures them (a real LiveKit's
  // are configured on its side).
  if (target.embedded) target.embedded.webhooks.url = `${app.url}/api/v1/livekit/webhook`;
  return {
    apiUrl: app.url,
    app,
    target,
    process: own,
    async close() {
      // The media server first, as in a real shutdown, so its last webhooks reach a live token server.
      await own?.stop();
      await target.close();
      await app.close();
    },
  };
}
