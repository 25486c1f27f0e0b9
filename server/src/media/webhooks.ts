// LiveKit-format webhooks: a WebhookEvent as JSON, signed with a JWT whose `sha256` claim is the
// body's digest, so `WebhookReceiver` from livekit-server-sdk verifies them unchanged.
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

export class WebhookSender {
  /** Sends one at a time, in order, so a receiver sees joins before leaves. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    /** Where webhooks go; settable later, when the receiver's address is known only after it listens. */
    public url: string | undefined,
    private readonly apiKey: string,
    private readonly apiSecret: string,
    private readonly log: (line: string) => void,
  ) {}

  send(event: WebhookName, parts: { room?: Room; participant?: ParticipantInfo; track?: TrackInfo; egressInfo?: EgressInfo }): void {
    const url = this.url;
    if (!url) return;
    const body = new WebhookEvent({
      event,
      id: `EV_${randomUUID()}`,
      createdAt: BigInt(Math.floor(Date.now() / 1000)),
      room: parts.room?.clone(),
      participant: parts.participant?.clone(),
      track: parts.track?.clone(),
      egressInfo: parts.egressInfo?.clone(),
    }).toJsonString();
    this.queue = this.queue.then(() => this.post(url, event, body));
  }

  /** Resolves once every queued webhook has been attempted. */
  flush(): Promise<void> {
    return this.queue;
  }

  private async post(url: string, event: string, body: string): Promise<void> {
    const token = new AccessToken(this.apiKey, this.apiSecret);
    token.sha256 = createHash('sha256').update(body).digest('base64');
    const authorization = await token.toJwt();
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/webhook+json', Authorization: authorization },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (response.ok) return;
        if (response.status < 500) {
          this.log(`webhook ${event} refused by receiver: HTTP ${response.status}`);
          return;
        }
      } catch {
        // retried below
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    this.log(`webhook ${event} could not be delivered to ${url}`);
  }
}
