// The card events of one token server for a whole page: every card on the page subscribes here, and
// the feed keeps ONE `GET /events?meetings=<ids>` stream open for all of them. Cards come and go (a
// chat scrolls, a list re-renders); the feed waits a moment for the set to settle and reopens the
// stream only when the set really changed. It follows the stream across drops with backoff and
// jitter (a restarted server is not hit by every page at once), and closes it when the last card
// leaves. No DOM, no Lit: the `<meeting-card>` element and an app's own UI use it the same way.
import { followEventStream, type ServerEvent } from '../api/event-stream.js';
import type { AuthProvider } from '../api/meeting-api-client.js';
import type { MeetingError } from '../api/meeting-error.js';
import type { MeetingCard } from '../api/types.js';
import { Timers, backoffDelay } from '../controller/timers.js';

/** What a card learns from the feed: the meeting's card, or why it may not be shown. */
export type CardUpdate = { kind: 'card'; card: MeetingCard } | { kind: 'refused'; code: string; status?: number | undefined };

export type CardListener = (update: CardUpdate) => void;

export interface CardFeedOptions {
  fetch?: typeof fetch;
  /** How long the set of meetings must stay unchanged before the stream is (re)opened. */
  settleMs?: number;
  /** Backoff of reconnections: first delay and ceiling (jitter ±30 % on top). */
  backoff?: { baseMs: number; maxMs: number };
}

/** Most meetings the server follows on one stream (contract v1.1); more go on further streams. */
export const MAX_MEETINGS_PER_STREAM = 100;
const DEFAULT_SETTLE_MS = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Subscription {
  listener: CardListener;
  auth: AuthProvider | undefined;
}

interface OpenStream {
  ids: string[];
  abort: AbortController;
}

export class CardFeed {
  private readonly subscriptions = new Map<string, Set<Subscription>>();
  /** The last word on each meeting, for a card that subscribes after it arrived. */
  private readonly latest = new Map<string, CardUpdate>();
  /** Ids the server refused for good; not asked for again until they are unsubscribed and back. */
  private readonly refused = new Set<string>();
  private readonly streams: OpenStream[] = [];
  private readonly timers = new Timers();
  private cancelSettle: (() => void) | undefined;
  private opens = 0;
  /** The streams went out without a bearer: a card that brings a provider (a user who signed in) reopens them. */
  private anonymous = false;
  private readonly providers = new WeakSet<AuthProvider>();
  private reopen = false;

  constructor(
    /** The server's base URL, e.g. `https://meet.example.com` (the feed adds `/api/v1`). */
    readonly server: string,
    private readonly options: CardFeedOptions = {},
    private readonly onIdle?: (feed: CardFeed) => void,
  ) {}

  /** How many times a stream was opened (answered 200), reconnections included. */
  get streamOpens(): number {
    return this.opens;
  }

  /** Streams open or being opened right now. */
  get openStreams(): number {
    return this.streams.length;
  }

  /**
   * Follows `meetingId`: `listener` gets its card now if known, then every change. `auth` gives
   * the bearer (the first subscriber's that returns one is used for the stream, since the stream is
   * shared). Returns the unsubscribe function.
   */
  subscribe(meetingId: string, listener: CardListener, auth?: AuthProvider): () => void {
    const subscription: Subscription = { listener, auth };
    let set = this.subscriptions.get(meetingId);
    if (!set) {
      set = new Set();
      this.subscriptions.set(meetingId, set);
    }
    set.add(subscription);
    if (auth && !this.providers.has(auth)) {
      this.providers.add(auth);
      if (this.anonymous) this.reopen = true;
    }
    const known = this.latest.get(meetingId);
    if (known) listener(known);
    else if (!UUID.test(meetingId)) this.publish(meetingId, { kind: 'refused', code: 'MEETING_NOT_FOUND', status: 404 });
    this.scheduleSync();
    return () => {
      const current = this.subscriptions.get(meetingId);
      if (!current?.delete(subscription)) return;
      if (current.size === 0) {
        this.subscriptions.delete(meetingId);
        this.latest.delete(meetingId);
        this.refused.delete(meetingId);
      }
      this.scheduleSync();
    };
  }

  /** Closes every stream at once and forgets every subscriber. */
  close(): void {
    this.cancelSettle?.();
    this.cancelSettle = undefined;
    for (const stream of this.streams.splice(0)) stream.abort.abort();
    this.subscriptions.clear();
    this.latest.clear();
    this.refused.clear();
    this.timers.clear();
  }

  private scheduleSync(): void {
    this.cancelSettle?.();
    this.cancelSettle = this.timers.after(this.options.settleMs ?? DEFAULT_SETTLE_MS, () => {
      this.cancelSettle = undefined;
      this.sync();
    });
  }

  /** The ids to follow now: subscribed, well-formed, not refused; sorted so the same set compares equal. */
  private wanted(): string[] {
    return [...this.subscriptions.keys()].filter((id) => UUID.test(id) && !this.refused.has(id)).sort();
  }

  private sync(): void {
    const ids = this.wanted();
    const groups: string[][] = [];
    for (let at = 0; at < ids.length; at += MAX_MEETINGS_PER_STREAM) groups.push(ids.slice(at, at + MAX_MEETINGS_PER_STREAM));
    const same = groups.length === this.streams.length && groups.every((group, i) => sameIds(group, this.streams[i]?.ids ?? []));
    if (same && !this.reopen) {
      if (this.subscriptions.size === 0) this.idle();
      return;
    }
    this.reopen = false;
    for (const stream of this.streams.splice(0)) stream.abort.abort();
    for (const group of groups) this.open(group);
    if (this.subscriptions.size === 0) this.idle();
  }

  private idle(): void {
    this.timers.clear();
    this.onIdle?.(this);
  }

  private open(ids: string[]): void {
    const stream: OpenStream = { ids, abort: new AbortController() };
    this.streams.push(stream);
    const base = `${this.server.replace(/\/+$/, '')}/api/v1`;
    const url = `${base}/events?meetings=${ids.map(encodeURIComponent).join(',')}`;
    const onEvent = (event: ServerEvent) => {
      if (event.event !== 'card' || !isCard(event.data)) return;
      if (!ids.includes(event.data.id)) return;
      this.publish(event.data.id, { kind: 'card', card: event.data });
    };
    const open = async () => {
      const bearer = await this.bearer();
      this.anonymous = bearer === null;
      return { url, bearer };
    };
    void followEventStream(open, onEvent, stream.abort.signal, {
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      pause: (ms, signal) => this.timers.pause(ms, signal),
      delay: (attempt) => backoffDelay(attempt, { baseMs: this.options.backoff?.baseMs ?? 500, maxMs: this.options.backoff?.maxMs ?? 30_000, jitter: 0.3 }),
      onOpen: () => {
        this.opens++;
      },
    }).then((error) => {
      if (stream.abort.signal.aborted || !error) return;
      this.refuse(stream, error);
    });
  }

  /** The server refused the stream for good: name the refused cards, and follow the others again. */
  private refuse(stream: OpenStream, error: MeetingError): void {
    const index = this.streams.indexOf(stream);
    if (index >= 0) this.streams.splice(index, 1);
    const named = refusedIds(error.details).filter((r) => stream.ids.includes(r.meetingId));
    // A refusal that names no meeting (a bad bearer, say) concerns every card of the stream.
    const targets = named.length > 0 ? named : stream.ids.map((meetingId) => ({ meetingId, code: error.code }));
    for (const { meetingId, code } of targets) {
      this.refused.add(meetingId);
      this.publish(meetingId, { kind: 'refused', code, status: error.status });
    }
    if (named.length > 0) this.scheduleSync();
  }

  private publish(meetingId: string, update: CardUpdate): void {
    this.latest.set(meetingId, update);
    for (const subscription of this.subscriptions.get(meetingId) ?? []) subscription.listener(update);
  }

  private async bearer(): Promise<string | null> {
    const providers = new Set<AuthProvider>();
    for (const set of this.subscriptions.values()) for (const s of set) if (s.auth) providers.add(s.auth);
    for (const provider of providers) {
      try {
        const token = await provider();
        if (token) return token;
      } catch {
        // That provider failed (a session that cannot refresh): try the next, else go anonymous.
      }
    }
    return null;
  }
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function isCard(value: unknown): value is MeetingCard {
  if (typeof value !== 'object' || value === null) return false;
  const card = value as Partial<MeetingCard>;
  return typeof card.id === 'string' && typeof card.title === 'string' && typeof card.status === 'string' && typeof card.participantCount === 'number' && Array.isArray(card.people);
}

/** The `details` of a refused stream: `[{meetingId, code}]`, one per meeting the caller may not see. */
function refusedIds(details: unknown): Array<{ meetingId: string; code: string }> {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const item = d as { meetingId?: unknown; code?: unknown } | null;
    return item && typeof item.meetingId === 'string' && typeof item.code === 'string' ? [{ meetingId: item.meetingId, code: item.code }] : [];
  });
}

const feeds = new Map<string, CardFeed>();

/**
 * The page's feed for `server`: one per server, made on first use and dropped when its last card
 * leaves (the next card makes a fresh one).
 */
export function cardFeedFor(server: string, options?: CardFeedOptions): CardFeed {
  const key = server.replace(/\/+$/, '');
  let feed = feeds.get(key);
  if (!feed) {
    feed = new CardFeed(key, options, (idle) => {
      if (feeds.get(key) === idle) feeds.delete(key);
    });
    feeds.set(key, feed);
  }
  return feed;
}
