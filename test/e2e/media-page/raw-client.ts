// A participant that speaks LiveKit's signalling with nothing in between: a `ws` socket and
// @livekit/protocol messages, as a modified client or an attacker would. It joins without a peer
// connection (the server answers no offer it was not sent) and keeps itself alive with pings.
import { gzipSync } from 'node:zlib';
import {
  ClientInfo,
  ClientInfo_SDK,
  JoinRequest,
  Ping,
  SignalRequest,
  SignalResponse,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { WebSocket } from 'ws';

export interface RawClient {
  ws: WebSocket;
  /** Every decoded response, in order. */
  received: SignalResponse[];
  /** Bytes of every message received since the socket opened. */
  bytes(): number;
  send(request: SignalRequest): void;
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `predicate` holds, checked on every message; rejects after `ms`. */
  until(predicate: () => boolean, what: string, ms?: number): Promise<void>;
  /** Resolves with the first response of `kind` (already received or to come). */
  next<K extends NonNullable<SignalResponse['message']['case']>>(kind: K, ms?: number): Promise<Extract<SignalResponse['message'], { case: K }>['value']>;
  close(): void;
}

export function joinRequestParam(request: JoinRequest, gzip = true): string {
  const bytes = request.toBinary();
  const wrapped = new WrappedJoinRequest({
    joinRequest: gzip ? gzipSync(bytes) : bytes,
    compression: gzip ? WrappedJoinRequest_Compression.GZIP : WrappedJoinRequest_Compression.NONE,
  });
  return Buffer.from(wrapped.toBinary()).toString('base64url');
}

export function plainJoinRequest(extra: Partial<JoinRequest> = {}): JoinRequest {
  return new JoinRequest({ clientInfo: new ClientInfo({ sdk: ClientInfo_SDK.JS, protocol: 16 }), ...extra });
}

/** The URL a client opens: `/rtc/v1` with the token and the packed join request. */
export function rtcUrl(base: string, token: string | undefined, joinRequest: string = joinRequestParam(plainJoinRequest())): string {
  const url = new URL('/rtc/v1', base);
  if (token !== undefined) url.searchParams.set('access_token', token);
  url.searchParams.set('join_request', joinRequest);
  return url.toString();
}

/** Opens the socket and resolves once the join response came (rejects if the upgrade is refused). */
export async function rawJoin(base: string, token: string | undefined, joinRequest?: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const ws = new WebSocket(rtcUrl(base, token, joinRequest), { headers, maxPayload: 256 * 1024 * 1024 });
  const received: SignalResponse[] = [];
  let bytes = 0;
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    bytes += data.byteLength;
    try {
      received.push(SignalResponse.fromBinary(new Uint8Array(data)));
    } catch {
      // not ours to judge here
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      clearInterval(pings);
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  ws.on('error', () => undefined);
  const pings = setInterval(() => {
    if (ws.readyState === ws.OPEN) {
      ws.send(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: BigInt(Date.now()) }) } }).toBinary());
    }
  }, 2000);
  pings.unref();
  const client: RawClient = {
    ws,
    received,
    bytes: () => bytes,
    send(request) {
      if (ws.readyState === ws.OPEN) ws.send(request.toBinary());
    },
    closed,
    async until(predicate, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        if (predicate()) return;
        if (ws.readyState === ws.CLOSED) throw new Error(`socket closed before ${what}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} within ${String(ms)} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async next(kind, ms = 10_000) {
      await client.until(() => received.some((r) => r.message.case === kind), `a ${kind} response`, ms);
      return received.find((r) => r.message.case === kind)?.message.value as never;
    },
    close() {
      clearInterval(pings);
      ws.close();
    },
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`upgrade refused: HTTP ${String(res.statusCode)}`));
    });
    ws.once('error', reject);
  });
  await client.next('join');
  return client;
}
