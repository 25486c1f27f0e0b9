// A stand-in for the parts of LiveKit's server API that cannot run here: Egress (recording) needs
// LiveKit's egress service and a headless browser pipeline. It answers the Twirp JSON routes
// livekit-server-sdk calls, checks tokens as LiveKit does (signature; roomAdmin for the named room,
// roomRecord for egress), and records each call for the test to inspect.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from 'livekit-server-sdk';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
}

export interface LiveKitStandIn {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

const ROOM_METHODS = new Set(['SendData']);
const EGRESS_METHODS = new Set(['StartRoomCompositeEgress', 'StopEgress']);

export async function startLiveKitStandIn(apiKey = 'devkey', apiSecret = 'secret'): Promise<LiveKitStandIn> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const match = /^\/twirp\/livekit\.(RoomService|Egress)\/(\w+)$/.exec(req.url ?? '');
        const service = match?.[1];
        const method = match?.[2];
        const known = service === 'Egress' ? EGRESS_METHODS : ROOM_METHODS;
        if (req.method !== 'POST' || !method || !known.has(method)) return reply(404, { code: 'bad_route', msg: 'no such method' });
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          return reply(400, { code: 'malformed', msg: 'bad json' });
        }
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        try {
          const claims = await verifier.verify(token ?? '');
          const allowed = service === 'Egress' ? claims.video?.roomRecord === true : claims.video?.roomAdmin === true && claims.video.room === body.room;
          if (!allowed) return reply(401, { code: 'unauthenticated', msg: 'permissions denied' });
        } catch {
          return reply(401, { code: 'unauthenticated', msg: 'invalid token' });
        }
        calls.push({ method, body });
        if (method === 'StartRoomCompositeEgress') return reply(200, { egressId: `EG_${String(calls.length)}`, roomName: body.roomName, status: 'EGRESS_STARTING' });
        if (method === 'StopEgress') return reply(200, { egressId: body.egressId, status: 'EGRESS_ENDING' });
        return reply(200, {});
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
