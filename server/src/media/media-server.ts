// The embedded media server: LiveKit's signalling (WebSocket, /rtc/v1), its server API (Twirp) and its
// webhooks, over werift. For development and tests on one machine; production points at LiveKit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { DisconnectReason, LeaveRequest, LeaveRequest_Action, type JoinRequest } from '@livekit/protocol';
import { TokenVerifier } from 'livekit-server-sdk';
import { WebSocketServer, type WebSocket } from 'ws';
import { EgressService } from './egress.js';
import { GrantError, joinClaimsOf, verifyToken, type JoinClaims } from './grants.js';
import { ParticipantSession } from './participant-session.js';
import { isLoopback } from './peer.js';
import { RoomRegistry } from './room-registry.js';
import type { Room } from './room.js';
import { MAX_JOIN_REQUEST_BYTES, MAX_SIGNAL_MESSAGE_BYTES, metadataProblem } from './limits.js';
import { decodeJoinRequest, encodeResponse } from './signal-codec.js';
import { handleTwirp } from './twirp.js';
import { WebhookSender } from './webhooks.js';

export interface MediaServerOptions {
  apiKey: string;
  apiSecret: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Refuses a join once a room holds this many participants (0: no limit unless the room sets one). */
  maxParticipantsPerRoom?: number;
  webhookUrl?: string | undefined;
  /** Seconds an emptied room lives on before it closes and `room_finished` is sent. */
  departureTimeoutS?: number;
  /**
   * Whether a join creates the room its token names (LiveKit's `room.auto_create`, default true).
   * Off, only rooms made with CreateRoom can be joined, so a room deleted with DeleteRoom stays
   * gone for tokens issued before.
   */
  autoCreateRooms?: boolean;
  /**
   * Where recordings are written (the Egress API records rooms into it as WebM). Unset: Egress
   * answers `unavailable`, as LiveKit does without an egress service.
   */
  recordingsDir?: string | undefined;
  log?: (line: string) => void;
}

export interface MediaServerStats {
  rooms: Array<ReturnType<Room['stats']>>;
  /** Signal requests refused (not offered, undecodable), by message case. */
  refusedSignals: Record<string, number>;
}

export interface MediaServer {
  /** `ws://host:port`, what LIVEKIT_URL is set to. */
  readonly url: string;
  readonly port: number;
  readonly registry: RoomRegistry;
  readonly webhooks: WebhookSender;
  readonly egress: EgressService;
  /** Per room, per participant: what it publishes, and per receive slot what it forwards (also `GET /debug`). */
  stats(): MediaServerStats;
  close(): Promise<void>;
}

class JoinRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** How long closing waits for queued webhooks. */
const WEBHOOK_FLUSH_MS = 2000;

export async function startMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const verifier = new TokenVerifier(options.apiKey, options.apiSecret);
  const webhooks = new WebhookSender(options.webhookUrl, options.apiKey, options.apiSecret, log);
  const registry = new RoomRegistry(
    {
      roomStarted: (room) => {
        webhooks.send('room_started', { room: room.roomInfo() });
      },
      roomFinished: (room) => {
        log(`room ${room.name} finished`);
        webhooks.send('room_finished', { room: room.roomInfo() });
      },
      participantJoined: (room, participant) => {
        log(`join  ${room.name} ${participant.identity}`);
        webhooks.send('participant_joined', { room: room.roomInfo(), participant });
      },
      participantLeft: (room, participant) => {
        log(`leave ${room.name} ${participant.identity}`);
        webhooks.send('participant_left', { room: room.roomInfo(), participant });
      },
      trackPublished: (room, participant, track) => {
        webhooks.send('track_published', { room: room.roomInfo(), participant, track: track.info });
      },
      trackUnpublished: (room, participant, track) => {
        webhooks.send('track_unpublished', { room: room.roomInfo(), participant, track: track.info });
      },
    },
    { departureTimeoutS: options.departureTimeoutS ?? 20, autoCreate: options.autoCreateRooms ?? true },
  );
  const egress = new EgressService({ registry, recordingsDir: options.recordingsDir, webhooks, log });
  const refusedSignals: Record<string, number> = {};
  const refused = (what: string): void => {
    refusedSignals[what] = (refusedSignals[what] ?? 0) + 1;
  };
  const stats = (): MediaServerStats => ({ rooms: registry.all().map((r) => r.stats()), refusedSignals: { ...refusedSignals } });
  const advertisedAddresses = isLoopback(host) ? [host === 'localhost' ? '127.0.0.1' : host] : ('all' as const);
  const limit = options.maxParticipantsPerRoom ?? 0;

  /** Everything a join must pass before a socket is accepted; `validate` answers with the same checks. */
  async function admit(url: URL, authorization: string | undefined): Promise<{ claims: JoinClaims; joinRequest: JoinRequest }> {
    let claims: JoinClaims;
    try {
      claims = joinClaimsOf(await verifyToken(verifier, accessToken(url, authorization)));
    } catch (error) {
      if (error instanceof GrantError) throw new JoinRefused(error.status, error.message);
      throw error;
    }
    const param = url.searchParams.get('join_request');
    if (!param) throw new JoinRefused(400, 'missing join_request: this server speaks the /rtc/v1 protocol');
    let joinRequest: JoinRequest;
    try {
      joinRequest = decodeJoinRequest(param, MAX_JOIN_REQUEST_BYTES);
    } catch {
      throw new JoinRefused(400, `join_request could not be decoded within ${String(MAX_JOIN_REQUEST_BYTES)} bytes`);
    }
    const problem = metadataProblem(claims.metadata, claims.attributes);
    if (problem) throw new JoinRefused(400, `token ${problem}`);
    const room = registry.get(claims.room);
    // What LiveKit answers, word for word: livekit-client reads it as "not allowed", not as a server without /rtc/v1.
    if (!room && !registry.autoCreate) throw new JoinRefused(404, 'requested room does not exist');
    const rejoining = room?.participant(claims.identity) !== undefined;
    if (room && !rejoining && room.isFull(limit)) {
      throw new JoinRefused(403, `room "${claims.room}" is full (limit ${String(room.info.maxParticipants || limit)} participants)`);
    }
    return { claims, joinRequest };
  }

  function join(ws: WebSocket, claims: JoinClaims, joinRequest: JoinRequest): void {
    const room = registry.forJoin(claims.room);
    if (!room) {
      // Deleted between the check and the upgrade.
      ws.close(1008, 'requested room does not exist');
      return;
    }
    const existing = room.participant(claims.identity);
    if (joinRequest.reconnect) {
      // A resume: the session it names goes on over this socket. One that has ended (or another
      // session of the same identity) cannot be resumed, and the client is told to join afresh.
      if (existing && !existing.isEnded && (joinRequest.participantSid === '' || existing.sid === joinRequest.participantSid)) {
        existing.resume(ws);
        return;
      }
      log(`${claims.identity}: resume of ${joinRequest.participantSid || '(no sid)'} refused: no such session`);
      const leave = new LeaveRequest({ canReconnect: true, reason: DisconnectReason.STATE_MISMATCH, action: LeaveRequest_Action.RECONNECT });
      ws.send(encodeResponse({ case: 'leave', value: leave }));
      ws.close(1000, 'no session to resume');
      return;
    }
    // The same identity joining again replaces its older session, as in LiveKit (a reload, a rejoin).
    existing?.close(DisconnectReason.DUPLICATE_IDENTITY, true);
    const session = new ParticipantSession(ws, claims, joinRequest, room, { advertisedAddresses, log, refused });
    // The join response goes first: livekit-client refuses any other first message.
    session.start(joinRequest);
    room.add(session);
  }

  const http: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A bug or a client that went away mid-answer must cost one request, not the process.
      log(`http ${req.method ?? '?'} ${req.url ?? '?'} failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    // The browser calls `validate` from the page's origin after a failed socket.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/rtc/v1/validate' || url.pathname === '/rtc/validate') {
      try {
        await admit(url, req.headers.authorization);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('success');
      } catch (error) {
        const status = error instanceof JoinRefused ? error.status : 500;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end((error as Error).message);
      }
      return;
    }
    if (url.pathname === '/debug/heap' && req.method === 'GET') {
      // For leak hunting: the heap after a full collection, when the process runs with --expose-gc.
      const result = await authorizeDebug(verifier, req.headers.authorization);
      if (result !== 200) {
        res.writeHead(result, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: result === 401 ? 'unauthenticated' : 'permission_denied' }));
        return;
      }
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      // Compiled code grows as V8 optimises hot functions: bounded by the program, not by sessions.
      const codeBytes = getHeapSpaceStatistics().find((s) => s.space_name === 'code_space')?.space_used_size ?? 0;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ collected: gc !== undefined, heapUsedBytes: process.memoryUsage().heapUsed, codeBytes }));
      return;
    }
    if (url.pathname === '/debug' && req.method === 'GET') {
      // What an operator needs when a video does not arrive; it names everyone, so it takes the
      // same admin token as ListRooms.
      const result = await authorizeDebug(verifier, req.headers.authorization);
      res.writeHead(result, { 'Content-Type': 'application/json' }).end(JSON.stringify(result === 200 ? stats() : { code: result === 401 ? 'unauthenticated' : 'permission_denied' }));
      return;
    }
    if (url.pathname.startsWith('/twirp/') && req.method === 'POST') {
      const body = await readBody(req);
      const result = await handleTwirp(registry, egress, verifier, url.pathname.slice(7), req.headers.authorization, body);
      res.writeHead(result.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(result.body));
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SIGNAL_MESSAGE_BYTES });
  http.on('upgrade', (req, socket, head) => {
    // Before anything that waits: a client that resets the connection while its token is checked,
    // or after being refused, must not become an unhandled 'error' that ends the process.
    socket.on('error', () => {
      socket.destroy();
    });
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    if (url.pathname !== '/rtc/v1') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    admit(url, req.headers.authorization).then(
      ({ claims, joinRequest }) => {
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          // Heard from the first moment; the session adds its own listener that closes it.
          ws.on('error', () => undefined);
          join(ws, claims, joinRequest);
        });
      },
      (error: unknown) => {
        const status = error instanceof JoinRefused ? error.status : 500;
        socket.end(`HTTP/1.1 ${String(status)} Refused\r\nConnection: close\r\n\r\n`);
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => {
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  return {
    url: `ws://${host}:${String(port)}`,
    port,
    registry,
    webhooks,
    egress,
    stats,
    async close() {
      // Running recordings are completed (and reported) before the rooms go.
      await egress.closeAll();
      registry.closeAll();
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => {
        resolve();
      }));
      // The last webhooks (participants left, room finished) get a short while to go out; a
      // receiver that is itself shutting down must not hold this shutdown for their retries.
      await webhooks.close(WEBHOOK_FLUSH_MS);
    },
  };
}

/**
 * Where a client puts its token: livekit-client in the `access_token` parameter, LiveKit's Rust
 * SDKs (Node rtc, Python, Unity, agents) in an `Authorization: Bearer` header of the upgrade and of
 * `validate`. LiveKit takes either; so does this server, the header first.
 */
function accessToken(url: URL, authorization: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? url.searchParams.get('access_token');
}

async function authorizeDebug(verifier: TokenVerifier, authorization: string | undefined): Promise<200 | 401 | 403> {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
  try {
    const grants = await verifyToken(verifier, token);
    return grants.video?.roomList ? 200 : 403;
  } catch {
    return 401;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Twirp bodies are small; refuse anything that is not.
      if (size > 1_000_000) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
