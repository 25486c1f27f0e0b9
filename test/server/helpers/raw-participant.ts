// A participant that speaks LiveKit's signalling protocol by hand (ws + @livekit/protocol), the
// way a modified client would: it can send what the widget never sends.
import { ConnectionSettings, JoinRequest, SignalRequest, SignalResponse, WrappedJoinRequest, type ParticipantInfo } from '@livekit/protocol';
import WebSocket from 'ws';

export interface RawParticipant {
  /** The participant as the server described it in the join response. */
  self: ParticipantInfo;
  send(message: SignalRequest['message']): void;
  /** The next signal response that matches, or a rejection after `timeoutMs`. */
  next(match: (response: SignalResponse) => boolean, timeoutMs?: number): Promise<SignalResponse>;
  /** Resolves with the close code once the server (or we) closed the socket. */
  closed: Promise<number>;
  close(): void;
}

function joinRequestParam(): string {
  // Not subscribing keeps the hand-made client from having to answer offers.
  const join = new JoinRequest({ connectionSettings: new ConnectionSettings({ autoSubscribe: false }) });
  return Buffer.from(new WrappedJoinRequest({ joinRequest: join.toBinary() }).toBinary()).toString('base64url');
}

/** The HTTP status the media server answers for an upgrade with this token, or 101 when it accepts. */
export async function upgradeStatus(livekitUrl: string, token: string): Promise<number> {
  const ws = new WebSocket(`${livekitUrl}/rtc/v1?access_token=${encodeURIComponent(token)}&join_request=${joinRequestParam()}`);
  return new Promise((resolve) => {
    ws.once('upgrade', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

/** Connects with `token` and waits for the join response. */
export async function connectRaw(livekitUrl: string, token: string): Promise<RawParticipant> {
  const ws = new WebSocket(`${livekitUrl}/rtc/v1?access_token=${encodeURIComponent(token)}&join_request=${joinRequestParam()}`);
  const received: SignalResponse[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (data: Buffer) => {
    received.push(SignalResponse.fromBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    wake?.();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${String(res.statusCode)}`)));
  });
  const next = async (match: (response: SignalResponse) => boolean, timeoutMs = 5000): Promise<SignalResponse> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = received.findIndex(match);
      if (index >= 0) return received.splice(0, index + 1).at(-1) as SignalResponse;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no matching signal response before the deadline');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
  };
  const join = await next((r) => r.message.case === 'join');
  if (join.message.case !== 'join' || join.message.value.participant === undefined) throw new Error('no join response');
  return {
    self: join.message.value.participant,
    send(message) {
      ws.send(new SignalRequest({ message }).toBinary());
    },
    next,
    closed,
    close() {
      ws.close();
    },
  };
}

/** `promise`, or a rejection naming `what` after `ms`: an attack that works must fail the test, not hang it. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${String(ms)} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
