// web-test-runner plugin: lets browser tests start the embedded media server, mint LiveKit tokens,
// call the server API through the real livekit-server-sdk and read the webhooks it received.
// Everything here runs in Node; the browser reaches it through `executeServerCommand`.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken, DataPacket_Kind, RoomServiceClient, WebhookReceiver, type VideoGrant } from 'livekit-server-sdk';
import { TrackSource } from '@livekit/protocol';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { createApp } from '../../server/src/app.js';
import { appDepsFromConfig } from '../../server/src/bootstrap.js';
import { loadConfig } from '../../server/src/config.js';
import { listen } from '../../server/src/listen.js';
import type { Database } from '../../server/src/db/database.js';
import { freshPGlite } from './pglite.js';
import { startApp, type TestApp } from './app.js';

const API_KEY = 'testkey';
const API_SECRET = 'test-secret-that-is-long-enough-for-hs256';

interface Running {
  media: MediaServer;
  hooks: Server;
  received: Array<{ event: string; identity?: string; room?: string; track?: string }>;
  rejectedHooks: number;
}

let running: Running | undefined;
let stack: { app: TestApp; db: Database } | undefined;

/** The token server wired to the running media server: what `npm start` runs, on free ports. */
async function startStack(env: Record<string, string> = {}): Promise<{ apiUrl: string; livekitUrl: string }> {
  await stopStack();
  const { url } = running ? { url: running.media.url } : await start({});
  // A copy of a migrated database made once (test/support/pglite.ts): creating PGlite from nothing
  // blocks this process for seconds, during which no browser command is answered.
  const db = await freshPGlite();
  const app = await startApp(
    {
      MEETING_DEV_MODE: '1',
      LIVEKIT_URL: url,
      LIVEKIT_API_KEY: API_KEY,
      LIVEKIT_API_SECRET: API_SECRET,
      ...env,
    },
    db,
  );
  stack = { app, db };
  // LiveKit's webhooks go to the token server in this set-up, as an operator configures them.
  if (running) running.media.webhooks.url = `${app.url}/api/v1/livekit/webhook`;
  return { apiUrl: app.url, livekitUrl: url };
}

/** The media server goes first, as in a real shutdown, so its last webhooks reach a live token server. */
async function stopStack(): Promise<boolean> {
  await stop();
  if (stack) {
    await stack.app.close();
    await stack.db.close();
  }
  stack = undefined;
  return true;
}

async function start(payload: { maxParticipants?: number }): Promise<{ url: string }> {
  await stop();
  const receiver = new WebhookReceiver(API_KEY, API_SECRET);
  const received: Running['received'] = [];
  const state = { rejectedHooks: 0 };
  const hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.receive(body, req.headers.authorization).then(
        (event) => {
          received.push({
            event: event.event,
            identity: event.participant?.identity,
            room: event.room?.name,
            track: event.track?.sid,
          });
          res.writeHead(200).end();
        },
        () => {
          state.rejectedHooks++;
          res.writeHead(401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const media = await startMediaServer({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    port: 0,
    maxParticipantsPerRoom: payload.maxParticipants ?? 0,
    webhookUrl: `http://127.0.0.1:${String((hooks.address() as AddressInfo).port)}/hooks`,
    departureTimeoutS: 1,
  });
  running = {
    media,
    hooks,
    received,
    get rejectedHooks() {
      return state.rejectedHooks;
    },
  };
  return { url: media.url };
}

/** Stops the media server and starts a fresh one on the same port: a LiveKit node going away. */
async function restart(): Promise<{ url: string }> {
  if (!running) throw new Error('media server not started');
  const old = running.media;
  const port = old.port;
  const webhookUrl = old.webhooks.url;
  await old.close();
  running.media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port, webhookUrl, departureTimeoutS: 1 });
  return { url: running.media.url };
}

async function stop(): Promise<boolean> {
  if (!running) return true;
  const { media, hooks } = running;
  running = undefined;
  await media.close();
  hooks.closeAllConnections();
  await new Promise<void>((resolve) => hooks.close(() => resolve()));
  return true;
}

interface TokenPayload {
  room: string;
  identity: string;
  name?: string;
  grant?: Partial<Omit<VideoGrant, 'canPublishSources'>> & { canPublishSources?: string[] };
  ttl?: number;
  secret?: string;
}

const SOURCES: Record<string, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

async function token(payload: TokenPayload): Promise<string> {
  const at = new AccessToken(API_KEY, payload.secret ?? API_SECRET, {
    identity: payload.identity,
    name: payload.name ?? payload.identity,
    ttl: payload.ttl ?? 600,
  });
  const { canPublishSources, ...grant } = payload.grant ?? {};
  at.addGrant({
    roomJoin: true,
    room: payload.room,
    ...grant,
    ...(canPublishSources ? { canPublishSources: canPublishSources.map((s) => SOURCES[s] ?? TrackSource.UNKNOWN) } : {}),
  });
  return at.toJwt();
}

type AdminCall =
  | { method: 'listParticipants'; room: string }
  | { method: 'removeParticipant'; room: string; identity: string }
  | { method: 'mutePublishedTrack'; room: string; identity: string; trackSid: string; muted: boolean }
  | { method: 'updateParticipant'; room: string; identity: string; metadata?: string; canPublish?: boolean }
  | { method: 'sendData'; room: string; text: string; topic: string; destinationIdentities?: string[] }
  | { method: 'listRooms' }
  | { method: 'deleteRoom'; room: string };

async function admin(call: AdminCall): Promise<unknown> {
  if (!running) throw new Error('media server not started');
  const client = new RoomServiceClient(running.media.url.replace('ws', 'http'), API_KEY, API_SECRET);
  try {
    switch (call.method) {
      case 'listParticipants':
        return (await client.listParticipants(call.room)).map((p) => ({
          identity: p.identity,
          tracks: p.tracks.map((t) => ({ sid: t.sid, source: t.source, muted: t.muted })),
          metadata: p.metadata,
        }));
      case 'removeParticipant':
        await client.removeParticipant(call.room, call.identity);
        return true;
      case 'mutePublishedTrack':
        return (await client.mutePublishedTrack(call.room, call.identity, call.trackSid, call.muted)).muted;
      case 'updateParticipant': {
        const updated = await client.updateParticipant(call.room, call.identity, {
          metadata: call.metadata,
          ...(call.canPublish === undefined
            ? {}
            : { permission: { canPublish: call.canPublish, canSubscribe: true, canPublishData: true } }),
        });
        return { metadata: updated.metadata, canPublish: updated.permission?.canPublish };
      }
      case 'sendData':
        await client.sendData(call.room, new TextEncoder().encode(call.text), DataPacket_Kind.RELIABLE, {
          topic: call.topic,
          destinationIdentities: call.destinationIdentities ?? [],
        });
        return true;
      case 'listRooms':
        return (await client.listRooms()).map((r) => r.name);
      case 'deleteRoom':
        await client.deleteRoom(call.room);
        return true;
    }
  } catch (error) {
    const e = error as { status?: number; code?: string; message: string };
    return { error: { status: e.status, code: e.code, message: e.message } };
  }
}

export function mediaCommands() {
  return {
    name: 'media-commands',
    /** Makes the database template before any test runs, while nobody waits on this process. */
    async serverStart() {
      await (await freshPGlite()).close();
    },
    async executeCommand({ command, payload }: { command: string; payload?: unknown }): Promise<unknown> {
      switch (command) {
        case 'media-start':
          return start((payload ?? {}));
        case 'media-restart':
          return restart();
        case 'media-stop':
          return stop();
        case 'media-token':
          return token(payload as TokenPayload);
        case 'media-admin':
          return admin(payload as AdminCall);
        case 'stack-start':
          return startStack((payload ?? {}) as Record<string, string>);
        case 'stack-stop':
          return stopStack();
        case 'stack-begin':
          return beginStack((payload ?? {}) as Record<string, string>);
        case 'stack-wait':
          return waitForStack();
        case 'stack-restart-token-server':
          return restartTokenServer((payload ?? {}));
        case 'stack-restart-all':
          return restartWholeStack((payload ?? {}));
        case 'sse-start':
          return startNumberedEvents((payload ?? {}));
        case 'sse-stop':
          return stopNumberedEvents();
        case 'source-files':
          return sourceFiles((payload ?? { dirs: [] }) as { dirs: string[]; files?: string[] });
        case 'media-webhooks':
          if (running) await running.media.webhooks.flush();
          return { received: running?.received ?? [], rejected: running?.rejectedHooks ?? 0 };
        default:
          return undefined;
      }
    },
  };
}

// ---- A stack that starts without racing the runner's 20 s command timeout, and restarts ----
// Opening and migrating PGlite can take longer than one browser command may wait on a loaded
// machine, so the browser starts the stack and then waits for it in bounded steps. The restarts
// keep the database (as a real restart with persistent storage does) and come back on the same ports.

let starting: { env: Record<string, string>; done: Promise<{ apiUrl: string; livekitUrl: string }> } | undefined;

function beginStack(env: Record<string, string>): boolean {
  const done = startStack(env);
  done.catch(() => undefined);
  starting = { env, done };
  return true;
}

async function waitForStack(): Promise<{ done: boolean; stack?: { apiUrl: string; livekitUrl: string }; error?: string }> {
  if (!starting) return { done: true, error: 'stack-begin was not called' };
  const pending = starting.done;
  const timeout = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 1_000));
  try {
    const result = await Promise.race([pending, timeout]);
    return result === 'waiting' ? { done: false } : { done: true, stack: result };
  } catch (error) {
    return { done: true, error: (error as Error).message };
  }
}

interface RestartOptions {
  /** How long the process stays down. */
  downMs?: number;
  /** How long open requests (long polls, event streams) get before they are cut, as main.ts's shutdown does. */
  graceMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Stops the token server as a shutdown does: no new connections, open ones cut after the grace. */
async function stopTokenServer(app: TestApp, graceMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(() => app.server.closeAllConnections(), graceMs);
    app.server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    app.server.closeIdleConnections();
  });
  await app.deps.events.close();
}

/** The token server again on `port`, over the same database, configured as the stack first was. */
async function startTokenServer(port: number, db: TestApp['deps']['db']): Promise<TestApp> {
  if (!running) throw new Error('media server not started');
  // The settings startApp (test/support/app.ts) gives the stack's first token server.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PGLITE_DIR: 'memory://',
    RATE_LIMIT_JOIN: '10000',
    RATE_LIMIT_CHAT: '10000',
    RATE_LIMIT_AUTH: '10000',
    RATE_LIMIT_HAND: '10000',
    RATE_LIMIT_POLL: '10000',
    LIVEKIT_CREATE_ROOMS: '0',
    MEETING_DEV_MODE: '1',
    LIVEKIT_URL: running.media.url,
    LIVEKIT_API_KEY: API_KEY,
    LIVEKIT_API_SECRET: API_SECRET,
    ...starting?.env,
  });
  const deps = appDepsFromConfig(config, db);
  const server = await listen(createApp(deps), port, '127.0.0.1');
  return {
    ...server,
    deps,
    async close() {
      await server.close();
      await deps.events.close();
    },
  };
}

async function restartTokenServer(options: RestartOptions): Promise<{ apiUrl: string; downMs: number }> {
  if (!stack) throw new Error('stack not started');
  const old = stack.app;
  const port = Number(new URL(old.url).port);
  const stoppedAt = Date.now();
  await stopTokenServer(old, options.graceMs ?? 1000);
  await pause(options.downMs ?? 500);
  stack.app = await startTokenServer(port, old.deps.db);
  return { apiUrl: stack.app.url, downMs: Date.now() - stoppedAt };
}

/** Everything `npm start` runs goes away and comes back on the same ports: media server, then token server. */
async function restartWholeStack(options: RestartOptions): Promise<{ apiUrl: string; livekitUrl: string; downMs: number }> {
  if (!stack || !running) throw new Error('stack not started');
  const old = stack.app;
  const port = Number(new URL(old.url).port);
  const media = running.media;
  const mediaPort = media.port;
  const webhookUrl = media.webhooks.url;
  const stoppedAt = Date.now();
  await media.close();
  await stopTokenServer(old, options.graceMs ?? 1000);
  await pause(options.downMs ?? 500);
  running.media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: mediaPort, webhookUrl, departureTimeoutS: 1 });
  stack.app = await startTokenServer(port, old.deps.db);
  return { apiUrl: stack.app.url, livekitUrl: running.media.url, downMs: Date.now() - stoppedAt };
}

// ---- Source text for tests that check the code against its catalogue ----

/** The TypeScript sources under `dirs` (and the single `files`), relative to the project root, by path. */
function sourceFiles(payload: { dirs: string[]; files?: string[] }): Record<string, string> {
  const root = new URL('../../', import.meta.url);
  const out: Record<string, string> = {};
  for (const dir of payload.dirs) {
    for (const entry of readdirSync(new URL(dir, root), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = `${entry.parentPath}/${entry.name}`;
      out[path] = readFileSync(path, 'utf8');
    }
  }
  for (const file of payload.files ?? []) out[file] = readFileSync(new URL(file, root), 'utf8');
  return out;
}

// ---- An event stream that numbers its events and drops the connection every few events ----

let numbered: { server: Server; lastEventIds: Array<string | null> } | undefined;

/** Serves `event: tick` with ids counting on from the request's Last-Event-ID, `perConnection` at a time, then cuts. */
async function startNumberedEvents(payload: { perConnection?: number }): Promise<{ url: string }> {
  await stopNumberedEvents();
  const perConnection = payload.perConnection ?? 2;
  const lastEventIds: Array<string | null> = [];
  const server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'last-event-id, authorization' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const header = req.headers['last-event-id'];
    lastEventIds.push(typeof header === 'string' ? header : null);
    const from = typeof header === 'string' ? Number(header) : 0;
    res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 1; i <= perConnection; i++) res.write(`id: ${String(from + i)}\nevent: tick\ndata: ${String(from + i)}\n\n`);
    // A cut, not a clean end: the client sees a network error, as after a server restart.
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  numbered = { server, lastEventIds };
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/events` };
}

async function stopNumberedEvents(): Promise<{ lastEventIds: Array<string | null> }> {
  const current = numbered;
  numbered = undefined;
  if (!current) return { lastEventIds: [] };
  current.server.closeAllConnections();
  await new Promise<void>((resolve) => current.server.close(() => resolve()));
  return { lastEventIds: current.lastEventIds };
}

