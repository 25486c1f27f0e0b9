// Delivers the outbox (migration 0013) to the host application in the Standard Webhooks format,
// signed with the `standardwebhooks` library the receiver verifies with. At least once: an event
// leaves the outbox only when the receiver answered 2xx, and an instance that dies mid-delivery
// loses its lease, so another (or itself, restarted) sends the event again; the webhook-id stays
// the same, for receivers to drop repeats. In order per meeting: only a meeting's oldest pending
// event is ever sent, so a failing one holds the later ones back until it goes through or is given
// up after the last attempt. Woken by the triggers' NOTIFY, and by a poll in case one was missed.
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../db/database.js';
import { leaseDueEvents, markAttemptFailed, markDelivered, pruneSettled, releaseLeases, setWebhooksEnabled, WEBHOOK_OUTBOX_CHANNEL, type OutboxEvent } from '../store/webhook-outbox.js';
import { renderWebhook } from './webhook-events.js';

export interface WebhookSettings {
  url: string;
  /** `whsec_` and the base64 key, as Standard Webhooks writes it. */
  secret: string;
  /** The server's public origin, for links in events (a recording's download URL). */
  publicUrl?: string | undefined;
  /** Attempts per event before it is given up (failed). */
  maxAttempts?: number;
  /** Retries wait this long, doubling per attempt up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
  /** How often the outbox is looked at when no notification came. */
  pollMs?: number;
  /** Meetings served at once. */
  parallel?: number;
  /** Delivered and given-up events are kept this long, then forgotten. */
  retentionDays?: number;
}

export interface WebhookDispatcher {
  /** Stops: attempts in flight are cut (their events go out again later), leases are given back. */
  stop(): Promise<void>;
}

const DEFAULTS = { maxAttempts: 15, firstBackoffMs: 1000, maxBackoffMs: 600_000, timeoutMs: 10_000, pollMs: 1000, parallel: 8, retentionDays: 7 };

/** Delay before the attempt after `failedAttempts` failed ones. */
export function backoffMs(failedAttempts: number, first: number, max: number): number {
  return Math.min(max, first * 2 ** Math.max(0, failedAttempts - 1));
}

export async function startWebhookDispatcher(deps: { db: Database; logger: Logger }, settings: WebhookSettings): Promise<WebhookDispatcher> {
  const options = { ...DEFAULTS, ...settings };
  const { db, logger } = deps;
  const signer = new Webhook(options.secret);
  // A lease outlives any attempt, so an event is never sent twice at once.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 30;
  const stopping = new AbortController();
  // Functions, not the flags themselves: both change while this code awaits, which the compiler's
  // narrowing cannot see.
  const isStopping = (): boolean => stopping.signal.aborted;
  // Leased and not yet settled: given back if the dispatcher stops before it settles them.
  const held = new Set<number>();
  let wake: () => void = () => undefined;
  let woken = false;
  const wasWoken = (): boolean => woken;
  const nudge = () => {
    woken = true;
    wake();
  };

  await setWebhooksEnabled(db, true);
  let unlisten: (() => Promise<void>) | undefined;
  try {
    unlisten = await db.listen(WEBHOOK_OUTBOX_CHANNEL, nudge);
  } catch (err) {
    logger.warn({ err }, 'webhooks: notifications unavailable; the outbox is polled');
  }

  async function deliver(event: OutboxEvent): Promise<void> {
    let body: string;
    try {
      body = JSON.stringify(renderWebhook(event, { publicUrl: options.publicUrl }));
    } catch (err) {
      // Facts this version cannot read will not become readable by retrying.
      logger.error({ err, webhookId: event.id, type: event.type }, 'webhooks: event could not be rendered; given up');
      await markAttemptFailed(db, event.seq, `render: ${String(err)}`, { giveUp: true, delaySeconds: 0 });
      return;
    }
    const sentAt = new Date();
    let problem: string;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'meeting-widget-webhooks',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signer.sign(event.id, sentAt, body),
        },
        body,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        await markDelivered(db, event.seq);
        return;
      }
      problem = `HTTP ${String(response.status)}`;
    } catch (err) {
      if (isStopping()) return;
      problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const attempts = event.attempts + 1;
    const giveUp = attempts >= options.maxAttempts;
    const delayMs = backoffMs(attempts, options.firstBackoffMs, options.maxBackoffMs);
    await markAttemptFailed(db, event.seq, problem, { giveUp, delaySeconds: delayMs / 1000 });
    if (giveUp) logger.error({ webhookId: event.id, type: event.type, meetingId: event.meetingId, attempts, problem }, 'webhooks: event given up after its last attempt');
    else {
      logger.warn({ webhookId: event.id, type: event.type, attempts, problem, retryInMs: delayMs }, 'webhooks: delivery failed; will retry');
      setTimeout(nudge, delayMs).unref();
    }
  }

  /** Sends one event of each due meeting; how many it sent. */
  async function round(): Promise<number> {
    const events = await leaseDueEvents(db, options.parallel, leaseSeconds);
    for (const event of events) held.add(event.seq);
    await Promise.all(
      events.map(async (event) => {
        // Stopping: the lease is given back below, untouched.
        if (isStopping()) return;
        try {
          await deliver(event);
        } finally {
          // Settled, or failed to settle (its lease then runs out). Cut short by a stop: given back.
          if (!isStopping()) held.delete(event.seq);
        }
      }),
    );
    return events.length;
  }

  let lastPrune = 0;
  const loop = (async () => {
    while (!isStopping()) {
      let sent = 0;
      woken = false;
      try {
        sent = await round();
        if (Date.now() - lastPrune > 3_600_000) {
          lastPrune = Date.now();
          await pruneSettled(db, options.retentionDays);
        }
      } catch (err) {
        if (!isStopping()) logger.warn({ err }, 'webhooks: the outbox could not be read now');
      }
      if (sent > 0 || wasWoken() || isStopping()) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => undefined;
    }
  })();

  return {
    async stop() {
      stopping.abort();
      wake();
      await loop;
      await unlisten?.().catch(() => undefined);
      await releaseLeases(db, [...held]).catch(() => undefined);
    },
  };
}
