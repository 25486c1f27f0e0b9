// A stand-in for LiveKit's server API until the embedded media server exists: it answers the
// Twirp JSON routes livekit-server-sdk calls, checks their tokens as LiveKit does (signature,
// roomAdmin for the named room), and records each call for the test to inspect.
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

const IMPLEMENTED = new Set(['SendData']);

export async function startLiveKitStandIn(apiKey = 'devkey', apiSecret = 'secret'): Promise<LiveKitStandIn> {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match?.[1] || !IMPLEMENTED.has(match[1])) return reply(404, { code: 'bad_route', msg: 'no such method' });
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          return reply(400, { code: 'malformed', msg: 'bad json' });
        }
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        try {
          const claims = await verifier.verify(token ?? '');
          if (claims.video?.roomAdmin !== true || claims.video.room !== body.room) return reply(401, { code: 'unauthenticated', msg: 'permissions denied' });
        } catch {
          return reply(401, { code: 'unauthenticated', msg: 'invalid token' });
        }
        calls.push({ method: match[1], body });
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
