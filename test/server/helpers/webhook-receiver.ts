// The host application's end of outgoing webhooks: an HTTP server on loopback that verifies each
// delivery with the standardwebhooks library (as a host app would), answers as the test plans, and
// keeps what arrived.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { webhookEventSchema, type WebhookEvent } from '../../../src/contract/webhooks.js';

export interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The library's verifier accepted the signature (and the timestamp). */
  verified: boolean;
  /** The body, as the contract's schema parses it (undefined when it does not). */
  event: WebhookEvent | undefined;
  /** The status this delivery was answered with. */
  answered: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  secret: string;
  /** Every delivery, answered or not, in arrival order. */
  deliveries: Delivery[];
  /** Events answered 2xx, in arrival order. */
  accepted(): WebhookEvent[];
  /** Decides the status of each delivery (default 204). */
  answer: (delivery: Omit<Delivery, 'answered'>) => number;
  /** Resolves once `check` holds for what arrived, or rejects after `ms`. */
  until(check: (accepted: WebhookEvent[]) => boolean, ms: number, what: string): Promise<WebhookEvent[]>;
  close(): Promise<void>;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export async function startWebhookReceiver(secret = newWebhookSecret()): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const deliveries: Delivery[] = [];
  let changed: () => void = () => undefined;
  const receiver: WebhookReceiver = {
    url: '',
    secret,
    deliveries,
    answer: () => 204,
    accepted: () => deliveries.filter((d) => d.answered < 300 && d.event !== undefined).map((d) => d.event as WebhookEvent),
    async until(check, ms, what) {
      const deadline = Date.now() + ms;
      while (!check(receiver.accepted())) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${what}: not within ${String(ms)} ms (got ${receiver.accepted().map((e) => e.type).join(', ') || 'nothing'})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          changed = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return receiver.accepted();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id'] ?? ''), 'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(req.headers['webhook-signature'] ?? '') };
      let verified = true;
      try {
        verifier.verify(body, headers);
      } catch {
        verified = false;
      }
      const parsed = webhookEventSchema.safeParse(JSON.parse(body));
      const delivery = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, verified, event: parsed.success ? parsed.data : undefined, at: Date.now() };
      const answered = verified ? receiver.answer(delivery) : 401;
      deliveries.push({ ...delivery, answered });
      res.writeHead(answered).end();
      changed();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`;
  return receiver;
}
