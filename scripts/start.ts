// `npm start`: the token/policy server and the demo pages on one localhost origin.
import express from 'express';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import { createApp } from '../server/src/app.js';
import { appDepsFromConfig, loadConfigOrExit, openDatabase, startBackgroundTasks } from '../server/src/bootstrap.js';
import { listen } from '../server/src/listen.js';
import { startMediaServer, type MediaServer } from '../server/src/media/media-server.js';
import { CHAT_DEMO_HOOKS, chatAppRoutes } from '../demo/chat-app.server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// The demo signs people in without an identity provider (the contract's dev mode).
process.env.MEETING_DEV_MODE ??= '1';
// The chat-app demo receives the server's outgoing webhooks at its own endpoint on this origin
// (demo/chat-app.server.ts), signed with a secret made for this run unless one is given. Its URL
// is known once the site listens (PORT=0 picks a port), so it is filled in then.
const ownWebhooks = !process.env.WEBHOOK_URL;
if (!process.env.WEBHOOK_SECRET) process.env.WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
if (ownWebhooks) process.env.WEBHOOK_URL = `http://127.0.0.1${CHAT_DEMO_HOOKS}`;
const loaded = loadConfigOrExit(process.env);

// No LiveKit configured: run the embedded media server, as `livekit-server --dev` would.
let media: MediaServer | undefined;
if (loaded.livekit.embedded) {
  const port = Number(new URL(loaded.livekit.url).port);
  media = await startMediaServer({
    apiKey: loaded.livekit.apiKey,
    apiSecret: loaded.livekit.apiSecret,
    port,
    host: '127.0.0.1',
    maxParticipantsPerRoom: 16,
    // As LiveKit should run in production (room.auto_create: false): the token server creates each
    // meeting's room before its first token, so a token of an ended meeting connects nowhere.
    autoCreateRooms: false,
    // Recording without LiveKit Egress: the media server writes the files where this server serves them.
    recordingsDir: loaded.recordingsDir,
    log: (line) => {
      console.log(`  media: ${line}`);
    },
  });
}
// MEDIA_PORT=0 lets the media server pick a port; the token server must hand out the real address.
const config = media ? { ...loaded, livekit: { ...loaded.livekit, url: media.url } } : loaded;
const db = await openDatabase(config);
const deps = appDepsFromConfig(config, db);

// The demo imports the widget's TypeScript sources; Vite compiles them per request.
const vite = await createViteServer({
  root,
  configFile: false,
  appType: 'mpa',
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: false },
});

const site = express();
site.disable('x-powered-by');
site.get('/', (_req, res) => {
  res.redirect('/demo/');
});
const chatDemo = chatAppRoutes({ webhookSecret: process.env.WEBHOOK_SECRET });
site.use(chatDemo.router);
site.use(createApp(deps));
site.use(vite.middlewares);

const running = await listen(site, config.port, config.host);
// The embedded media server reports joins and leaves to the token server, as LiveKit would.
if (media) media.webhooks.url = `${running.url}/api/v1/livekit/webhook`;
// Seats of people the media server no longer has are freed, and empty meetings end (docs/server.md).
const webhooks = config.webhooks && ownWebhooks ? { ...config.webhooks, url: `${running.url}${CHAT_DEMO_HOOKS}` } : config.webhooks;
const shownUrl = running.url.replace('127.0.0.1', 'localhost');
// A recording's download link in webhooks is absolute: PUBLIC_URL, else this demo's own origin.
const background = await startBackgroundTasks(deps, { ...config, webhooks, publicUrl: config.publicUrl ?? shownUrl });
console.log(`\n  meeting-widget demo: ${shownUrl}/demo/\n  API:                 ${shownUrl}/api/v1/healthz\n  Media:               ${media ? `${media.url} (embedded, development only)` : config.livekit.url}\n  Webhooks:            ${webhooks?.url ?? 'off'}\n\n  Press Ctrl-C to stop.\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  // Event streams and long polls answer now; the pages reconnect once the demo is back.
  deps.events.drain();
  chatDemo.drain();
  // The sweep first: a media server going down under it would look like everyone leaving.
  await background.stop();
  await Promise.all([running.close(), vite.close(), media?.close()]);
  await deps.events.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
