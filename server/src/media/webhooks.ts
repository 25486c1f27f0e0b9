// LiveKit-format webhooks: a WebhookEvent as JSON, signed with a JWT whose `sha256` claim is the
// body's digest, so `WebhookReceiver` from livekit-server-sdk verifies them unchanged.
//
// One queue, delivered one event at a time in the order the events happened, each retried with
// backoff while the receiver is down or failing: a receiver that reconciles joins and leaves (the
// token server) must never see a leave before the join it follows, nor lose a leave because it
// was restarting. Each event carries LiveKit's `id` (for deduplication) and `createdAt`.
import { createHash, randomUUID } from 'node:crypto';
import { WebhookEvent, type EgressInfo, type ParticipantInfo, type Room, type TrackInfo } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';

export type WebhookName =
  | 'room_started'
  | 'room_finished'
  | 'participant_joined'
  | 'participant_left'
  | 'track_published'
  | 'track_unpublished'
  | 'egress_started'
  | 'egress_ended';

export interface WebhookOptions {
  /** Attempts per event before it is given up (logged). */
  attempts?: number;
  /** Backoff doubles from this, up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  /** Events kept while the receiver is away; the oldest are dropped (logged) past this. */
  maxQueued?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
}

interface Queued {
  url: string;
  event: WebhookName;
  body: string;
}

export class WebhookSender {
  private readonly queue: Queued[] = [];
  private draining: Promise<void> | undefined;
  /** Aborts the attempt in flight and the backoff waits when the server shuts down. */
  private stopping = new AbortController();
  private readonly options: Required<WebhookOptions>;

  constructor(
    /** Where webhooks go; settable later, when the receiver's address is known only after it listens. */
    public url: string | undefined,
    private readonly apiKey: string,
    private readonly apiSecret: string,
    private readonly log: (line: string) => void,
    options: WebhookOptions = {},
  ) {
    this.options = { attempts: 8, firstBackoffMs: 250, maxBackoffMs: 5000, maxQueued: 10_000, timeoutMs: 5000, ...options };
  }

  /** Events not yet delivered (or given up). */
  get pending(): number {
    return this.queue.length;
  }

  send(event: WebhookName, parts: { room?: Room; participant?: ParticipantInfo; track?: TrackInfo; egressInfo?: EgressInfo }): void {
    const url = this.url;
    if (!url || this.stopping.signal.aborted) return;
    const body = new WebhookEvent({
      event,
      id: `EV_${randomUUID()}`,
      createdAt: BigInt(Math.floor(Date.now() / 1000)),
      room: parts.room?.clone(),
      participant: parts.participant?.clone(),
      track: parts.track?.clone(),
      egressInfo: parts.egressInfo?.clone(),
    }).toJsonString();
    if (this.queue.length >= this.options.maxQueued) {
      const dropped = this.queue.splice(1, 1)[0];
      this.log(`webhook ${dropped?.event ?? '?'} dropped: ${String(this.options.maxQueued)} events already waiting for the receiver`);
    }
    this.queue.push({ url, event, body });
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once every queued webhook has been delivered or given up. */
  flush(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  /** Delivers what it can within `withinMs`, then gives up the rest (logged) and accepts no more. */
  async close(withinMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]);
    clearTimeout(timer);
    this.stopping.abort();
    await this.flush();
    if (this.queue.length > 0) this.log(`${String(this.queue.length)} webhooks not delivered before shutdown`);
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      if (this.stopping.signal.aborted) return;
      await this.deliver(next);
      // Delivered or given up: either way the next one may go.
      if (this.queue[0] === next) this.queue.shift();
    }
  }

  private async deliver({ url, event, body }: Queued): Promise<void> {
    const token = new AccessToken(this.apiKey, this.apiSecret);
    token.sha256 = createHash('sha256').update(body).digest('base64');
    const authorization = await token.toJwt();
    const signal = this.stopping.signal;
    for (let attempt = 1; attempt <= this.options.attempts && !signal.aborted; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/webhook+json', Authorization: authorization },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        // The receiver refuses this event for good (a bad signature, say): retrying will not help.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          this.log(`webhook ${event} refused by receiver: HTTP ${String(response.status)}`);
          return;
        }
      } catch {
        // unreachable, reset or timed out: retried below
      }
      if (attempt === this.options.attempts) break;
      await sleep(Math.min(this.options.maxBackoffMs, this.options.firstBackoffMs * 2 ** (attempt - 1)), signal);
    }
    if (!signal.aborted) this.log(`webhook ${event} could not be delivered to ${url}`);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
