// What arrives on a participant's signalling socket, before any handler sees it: the socket's
// errors and close, the per-connection rate limits, and the decoding of each frame into a
// `SignalRequest`. The session's buckets outlive a socket, so a resume does not refill them.
import type { SignalRequest } from '@livekit/protocol';
import type { WebSocket } from 'ws';
import { SIGNAL_BYTE_RATE, SIGNAL_RATE, TokenBucket } from './limits.js';
import { decodeRequest } from './signal-codec.js';

export interface IntakeHost {
  readonly identity: string;
  /** Whether `ws` is still the session's socket (a socket replaced by a resume is no longer heard). */
  isCurrent(ws: WebSocket): boolean;
  isEnded(): boolean;
  log(line: string): void;
  refuse(what: 'undecodable' | 'rate', why: string): void;
  dispatch(request: SignalRequest): void | Promise<void>;
  /** The client went past its message or byte budget: it is closed. */
  rateExceeded(): void;
  /** The socket failed (a malformed frame) or closed. */
  socketFailed(): void;
  socketClosed(): void;
}

export class SignalIntake {
  private readonly messages = new TokenBucket(SIGNAL_RATE.burst, SIGNAL_RATE.perSecond);
  private readonly messageBytes = new TokenBucket(SIGNAL_BYTE_RATE.burst, SIGNAL_BYTE_RATE.perSecond);
  /** Requests heard so far by kind (a bounded set: the cases of SignalRequest), for the refusal's log line. */
  private readonly heard = new Map<string, number>();

  constructor(private readonly host: IntakeHost) {}

  /** Hears one signalling socket for as long as it is the session's. */
  listen(ws: WebSocket): void {
    const host = this.host;
    // A malformed frame (a reserved opcode, bad UTF-8, an oversized message) makes ws emit 'error'
    // and close the socket; unheard, that error would end the process.
    ws.on('error', (error) => {
      if (!host.isCurrent(ws)) return;
      host.log(`${host.identity}: signal socket error: ${error.message}`);
      host.socketFailed();
    });
    ws.on('message', (data, isBinary) => {
      if (host.isEnded() || !host.isCurrent(ws)) return;
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!this.messages.take() || !this.messageBytes.take(buffer.byteLength)) {
        host.log(`${host.identity}: signal rate limit exceeded after ${[...this.heard].map(([kind, n]) => `${String(n)} ${kind}`).join(', ')}`);
        host.refuse('rate', 'signal rate limit exceeded');
        host.rateExceeded();
        return;
      }
      this.handle(isBinary ? buffer : buffer.toString('utf8')).catch((error: unknown) => {
        host.log(`${host.identity}: signal handling failed: ${(error as Error).message}`);
      });
    });
    ws.on('close', () => {
      if (host.isCurrent(ws)) host.socketClosed();
    });
  }

  private async handle(data: Buffer | string): Promise<void> {
    let request: SignalRequest;
    try {
      request = decodeRequest(data);
    } catch {
      this.host.refuse('undecodable', 'not a SignalRequest');
      return;
    }
    const kind = request.message.case ?? 'empty';
    this.heard.set(kind, (this.heard.get(kind) ?? 0) + 1);
    await this.host.dispatch(request);
  }
}
