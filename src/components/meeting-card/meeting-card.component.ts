import { mdiVideo } from '@mdi/js';
import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuthProvider } from '../../core/api/meeting-api-client.js';
import type { MeetingCard as MeetingCardData } from '../../core/api/types.js';
import { cardFeedFor, type CardUpdate } from '../../core/cards/card-feed.js';
import type { CataloguePart } from '../../i18n/translate.js';
import { hueOf, initials } from '../../internal/avatar.js';
import { clockText } from '../../internal/elapsed-clock.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { meetingCardStyles } from './meeting-card.styles.js';

/** The `detail` of `meeting-card-join`. */
export interface MeetingCardJoinDetail {
  meetingId: string;
  /** The token server the card reads from. */
  server: string;
  /** Where the default action goes (`join-href`), if set. */
  joinHref: string | undefined;
  /** The id of the `<meeting-room>` the default action opens (`room`), if set. */
  room: string | undefined;
  /** The card as shown when the user pressed Join. */
  card: MeetingCardData;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-card-join': MeetingCardJoinDetail;
  }
}

export type MeetingCardTheme = 'light' | 'dark' | 'auto';

/** The codes that mean "this caller may not see it", as opposed to "it is not there". */
const NOT_ALLOWED = new Set(['AUTH_REQUIRED', 'INVALID_TOKEN', 'INSUFFICIENT_PERMISSION', 'DOMAIN_NOT_ALLOWED', 'ADMISSION_DENIED']);
const NOT_FOUND = new Set(['MEETING_NOT_FOUND', 'VALIDATION_FAILED']);

/** What the element needs of a `<meeting-room>` to open it (a type only: the card does not load the room). */
interface RoomLike extends HTMLElement {
  server: string;
  meetingId: string;
  auth: AuthProvider | undefined;
}

/**
 * @tagname meeting-card
 * @summary A meeting as a chat message or a calendar entry shows it: its title, whether it is
 * scheduled, live (for how long) or ended (how long it lasted), who is in it, and a Join button.
 * It follows the meeting live; all the cards of a page share one connection per server.
 *
 * @fires {CustomEvent<MeetingCardJoinDetail>} meeting-card-join - The user pressed Join. Cancelable:
 * call `preventDefault()` to handle it yourself. Otherwise the card goes to `join-href`, or opens the
 * `<meeting-room>` named by `room` on this meeting.
 *
 * @csspart base - The card's frame.
 * @csspart title - The meeting's title.
 * @csspart status - The line with the status badge and the time.
 * @csspart badge - The status badge (scheduled, live, ended); also `badge-scheduled`, `badge-live`, `badge-ended`.
 * @csspart time - Elapsed time while live, duration once ended.
 * @csspart elapsed - The elapsed time of a live meeting (it changes every second).
 * @csspart duration - How long an ended meeting lasted.
 * @csspart people - The row of people in the meeting.
 * @csspart avatar - The initials of each of the first five people.
 * @csspart more - The "+N" count of the others.
 * @csspart count - The sentence saying how many are in.
 * @csspart join-button - The Join button.
 * @csspart message - The loading, "not allowed" and "not found" messages.
 *
 * @cssprop [--meeting-color-background=#ffffff] - Background of the card.
 * @cssprop [--meeting-color-surface=#f1f3f4] - Background of the "+N" count.
 * @cssprop [--meeting-color-border=#dadce0] - The card's border.
 * @cssprop [--meeting-color-text=#1b1d21] - Main text colour.
 * @cssprop [--meeting-color-text-muted=#545a66] - Secondary text colour.
 * @cssprop [--meeting-color-accent=#1a5fd0] - The Join button and focus rings.
 * @cssprop [--meeting-color-on-accent=#ffffff] - Text on the Join button.
 * @cssprop [--meeting-color-danger=#c5221f] - The "live" badge.
 * @cssprop [--meeting-radius=12px] - Corner radius of the card; the button uses half of it.
 * @cssprop [--meeting-spacing=16px] - Base spacing unit.
 * @cssprop [--meeting-font-family=Noto Sans, system-ui] - Font family.
 * @cssprop [--meeting-font-size=16px] - Base font size.
 * @cssprop [--meeting-card-max-width=420px] - Widest the card grows.
 */
export class MeetingCardElement extends MeetingElement {
  static override styles = meetingCardStyles;

  /** A chat page full of cards fetches only the card's strings in its language, not the call's. */
  protected override get cataloguePart(): CataloguePart {
    return 'card';
  }

  /** Base URL of the token/policy server, e.g. `https://meet.example.com`. */
  @property({ reflect: true }) server = '';

  /** Id of the meeting to show. */
  @property({ attribute: 'meeting-id', reflect: true }) meetingId = '';

  /** Where Join goes (an http(s) URL, or a path on this site), unless the page cancels `meeting-card-join`. */
  @property({ attribute: 'join-href' }) joinHref = '';

  /** The id of a `<meeting-room>` on the page that Join opens on this meeting (when there is no `join-href`). */
  @property() room = '';

  /** Colour scheme: `light`, `dark`, or `auto` to follow the system. */
  @property({ reflect: true }) theme: MeetingCardTheme = 'auto';

  /** Language of the card's strings (BCP 47, e.g. `fr`); defaults to the page's language. */
  @property({ reflect: true }) override lang = '';

  /**
   * Returns the user's bearer token (null: read as an anonymous caller), as `<meeting-room>`'s `auth`.
   * Cards of one server share one connection, and the bearer of the first card that has one.
   */
  @property({ attribute: false }) auth: AuthProvider | undefined;

  /** The same as `auth`, under the name other embeddable widgets use. */
  get authProvider(): AuthProvider | undefined {
    return this.auth;
  }

  set authProvider(provider: AuthProvider | undefined) {
    this.auth = provider;
  }

  /** The meeting as last heard from the server; undefined until then. */
  get card(): MeetingCardData | undefined {
    return this.view?.kind === 'card' ? this.view.card : undefined;
  }

  @state() private view: CardUpdate | undefined;
  /** Bumped every second while live, so the elapsed time re-renders. */
  @state() private now = Date.now();
  private unsubscribe: (() => void) | undefined;
  /** What the subscription was made for, so only a real change of these follows anew. */
  private followed: { server: string; meetingId: string; auth: AuthProvider | undefined } | undefined;
  private ticking = false;
  private readonly onTick = () => {
    this.now = Date.now();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow();
    this.tick(false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const followed = this.followed;
    const moved = followed === undefined || followed.server !== this.server || followed.meetingId !== this.meetingId || followed.auth !== this.auth;
    if (this.isConnected && (changed.has('server') || changed.has('meetingId') || changed.has('auth')) && moved) this.follow();
  }

  protected override updated(): void {
    this.tick(this.isConnected && this.card?.status === 'active');
  }

  private follow(): void {
    this.unfollow();
    this.view = undefined;
    this.followed = { server: this.server, meetingId: this.meetingId, auth: this.auth };
    if (!/^https?:\/\//.test(this.server) || this.meetingId === '') return;
    this.unsubscribe = cardFeedFor(this.server).subscribe(
      this.meetingId,
      (update) => {
        this.view = update;
        this.now = Date.now();
      },
      this.auth,
    );
  }

  private unfollow(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.followed = undefined;
  }

  private tick(on: boolean): void {
    if (on === this.ticking) return;
    this.ticking = on;
    if (on) clock1s.add(this.onTick);
    else clock1s.delete(this.onTick);
  }

  private onJoin(): void {
    const card = this.card;
    if (!card) return;
    const detail: MeetingCardJoinDetail = { meetingId: this.meetingId, server: this.server, joinHref: this.joinHref || undefined, room: this.room || undefined, card };
    if (!this.emit('meeting-card-join', detail, { cancelable: true })) return;
    const target = safeHref(this.joinHref);
    if (target !== undefined) {
      window.location.assign(target);
      return;
    }
    const room = this.findRoom();
    if (!room) return;
    if (room.auth === undefined && this.auth !== undefined) room.auth = this.auth;
    room.server = this.server;
    room.meetingId = this.meetingId;
    room.hidden = false;
    room.scrollIntoView({ block: 'nearest' });
  }

  /** The `<meeting-room>` named by `room`: in the card's own tree first (a host's shadow root), then the document. */
  private findRoom(): RoomLike | undefined {
    if (this.room === '') return undefined;
    const root = this.getRootNode();
    const found = (root instanceof ShadowRoot ? root.getElementById(this.room) : null) ?? document.getElementById(this.room);
    return found?.localName === 'meeting-room' ? (found as RoomLike) : undefined;
  }

  protected override render() {
    const update = this.view;
    if (update?.kind === 'refused') return this.renderRefused(update.code);
    if (update === undefined) {
      return html`<article class="base loading" part="base" aria-busy="true"><p class="message" part="message">${this.t('card.loading')}</p></article>`;
    }
    const card = update.card;
    return html`<article class="base" part="base" aria-label=${this.t('card.label', { title: card.title })}>
      <div class="text">
        <h3 class="title" part="title">${card.title}</h3>
        ${this.renderStatus(card)}
      </div>
      ${this.renderPeople(card)}
      ${card.status === 'ended'
        ? nothing
        : html`<button type="button" part="join-button" aria-label=${this.t('card.joinLabel', { title: card.title })} @click=${() => this.onJoin()}>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${svg`<path d=${mdiVideo}></path>`}</svg>${this.t('card.join')}
          </button>`}
    </article>`;
  }

  private renderRefused(code: string) {
    const heading = NOT_ALLOWED.has(code) ? 'card.notAllowed' : NOT_FOUND.has(code) ? 'card.notFound' : 'card.unavailable';
    return html`<article class="base refused" part="base" data-code=${code}>
      <p class="message" part="message"><strong>${this.t(heading)}</strong> ${this.errorText({ code })}</p>
    </article>`;
  }

  private renderStatus(card: MeetingCardData) {
    const status = card.status === 'active' ? 'live' : card.status;
    const label = this.t(status === 'live' ? 'card.live' : status === 'ended' ? 'card.ended' : 'card.scheduled');
    let time: unknown = nothing;
    if (card.status === 'active' && card.startedAt !== null) {
      time = html`<time part="time elapsed" aria-live="off" datetime=${card.startedAt}>${this.t('card.elapsed', { time: clockText(this.now - Date.parse(card.startedAt)) })}</time>`;
    } else if (card.status === 'ended' && card.startedAt !== null && card.endedAt !== null) {
      time = html`<span part="time duration">${this.t('card.duration', { time: this.duration(Date.parse(card.endedAt) - Date.parse(card.startedAt)) })}</span>`;
    }
    return html`<p class="status" part="status"><span class="badge ${status}" part="badge badge-${status}">${label}</span> ${time}</p>`;
  }

  private renderPeople(card: MeetingCardData) {
    if (card.status === 'ended') return nothing;
    const others = Math.max(0, card.participantCount - card.people.length);
    const names = card.people.map((p) => p.displayName).join(', ');
    const count = card.participantCount === 0 ? this.t('card.nobody') : card.participantCount === 1 ? this.t('card.peopleOne') : this.t('card.people', { count: card.participantCount });
    const sentence = names === '' ? '' : this.t('card.inCall', { names: others > 0 ? this.t('card.andOthers', { names, count: others }) : names });
    return html`<div class="people" part="people">
      ${card.people.length === 0
        ? nothing
        : html`<span class="faces" aria-hidden="true"
            >${card.people.map((p) => html`<span class="avatar hue-${String(hueOf(p.displayName))}" part="avatar" title=${p.displayName}>${initials(p.displayName)}</span>`)}${others > 0
              ? html`<span class="avatar more" part="more">+${String(others)}</span>`
              : nothing}</span
          >`}
      <span class="count" part="count">${count}</span>
      ${sentence === '' ? nothing : html`<span class="sr-only">${sentence}</span>`}
    </div>`;
  }

  private duration(ms: number): string {
    const minutes = Math.floor(Math.max(0, ms) / 60_000);
    if (minutes < 1) return this.t('card.underAMinute');
    if (minutes < 60) return this.t('card.minutes', { minutes });
    return this.t('card.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  }
}

/** One timer for every live card of the page, so fifty cards tick together and cost one interval. */
const clock1s = new (class {
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  add(listener: () => void): void {
    this.listeners.add(listener);
    this.timer ??= setInterval(() => {
      for (const l of this.listeners) l();
    }, 1000);
  }
  delete(listener: () => void): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
})();

/** `join-href` resolved against the page, when it is http(s): a `javascript:` link from a message never runs. */
function safeHref(href: string): string | undefined {
  if (href === '') return undefined;
  try {
    const url = new URL(href, document.baseURI);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
