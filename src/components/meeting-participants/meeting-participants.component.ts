import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState, ParticipantView } from '../../core/controller/state.js';
import { hueOf, initials } from '../../internal/avatar.js';
import { icon } from '../../internal/icons.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { menuKeys } from '../../internal/menu-keys.js';
import { meetingParticipantsStyles } from './meeting-participants.styles.js';

/** From this many people on the panel offers a search: below it, the whole list fits at a glance. */
const SEARCH_FROM = 9;

/** Lower case without accents, so "zoe" finds "Zoë" and "EMILE" finds "Émile". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * @tagname meeting-participants
 * @summary Who is here (raised hands first, in the order they went up) and who is waiting, one line
 * each: initials, name and role, the raised hand and the microphone. Hosts and co-hosts also get
 * the actions, kept on that one line: mute (the microphone button), and a menu with make or unmake
 * co-host and remove; admit and deny for the people waiting; lock the meeting.
 *
 * @csspart list - The list of participants.
 * @csspart participant - Each participant's line.
 * @csspart avatar - The initials at the start of each line.
 * @csspart waiting - The list of people waiting.
 * @csspart action - Every action button (mute, the menu's items, admit, deny).
 * @csspart mute - The button that mutes a participant (hosts and co-hosts, while their microphone is on).
 * @csspart actions-menu - The button that opens a participant's menu of host actions.
 * @csspart menu - The open menu.
 * @csspart admit - The button that lets someone waiting in.
 * @csspart deny - The button that turns them away.
 * @csspart lock - The lock/unlock button.
 * @csspart lower-hands - Hosts' and co-hosts' "Lower all hands", while at least one hand is up.
 * @csspart search - The search field, from 9 people on: it keeps the lines whose name holds what is
 *   typed (case and accents aside); Escape clears it.
 * @csspart no-match - The line saying that no one matches the search.
 */
export class MeetingParticipants extends MeetingElement {
  static override styles = meetingParticipantsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  private readonly meeting = new MeetingStateController(this);
  /** Whose menu of host actions is open, if anyone's. */
  @state() private menuFor: string | undefined;
  /** What the search field holds. */
  @state() private query = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
    if (this.menuFor !== undefined && !this.meeting.value?.participants.some((p) => p.identity === this.menuFor)) this.menuFor = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  private readonly onSearchKey = (event: KeyboardEvent): void => {
    // Escape empties the search first; the panel's own Escape (closing it) comes on the next press.
    if (event.key !== 'Escape' || this.query === '') return;
    event.stopPropagation();
    this.query = '';
  };

  /** Failures are in the meeting state, where the room shows them. */
  private run(action: () => Promise<void>): void {
    this.closeMenu(false);
    void action().catch(() => undefined);
  }

  private openMenu(identity: string): void {
    if (this.menuFor === identity) {
      this.closeMenu();
      return;
    }
    this.menuFor = identity;
    document.addEventListener('pointerdown', this.onOutside, true);
    void this.updateComplete.then(() => this.menuItems()[0]?.focus());
  }

  private closeMenu(refocus = true): void {
    const identity = this.menuFor;
    if (identity === undefined) return;
    this.menuFor = undefined;
    document.removeEventListener('pointerdown', this.onOutside, true);
    if (refocus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-menu-of="${CSS.escape(identity)}"]`)?.focus());
  }

  private menuItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="menu"]:not([hidden]) [role="menuitem"]')];
  }

  private readonly onMenuKey = (event: KeyboardEvent): void => {
    menuKeys(event, this.shadowRoot?.activeElement, this.menuItems(), () => {
      this.closeMenu();
    });
  };

  private readonly onOutside = (event: Event): void => {
    if (event.composedPath().includes(this)) return;
    this.closeMenu(false);
  };

  /** What a host or co-host may do to `p` from the menu (never to themselves or to the host). */
  private menuActions(s: MeetingState, c: MeetingController, p: ParticipantView) {
    if (p.isLocal || !s.abilities.moderate || p.role === 'host') return [];
    const actions = [];
    if (s.abilities.changeRoles) {
      actions.push(
        p.role === 'co-host'
          ? { label: this.t('people.unmakeCoHost'), danger: false, run: () => c.setRole(p.identity, 'attendee') }
          : { label: this.t('people.makeCoHost'), danger: false, run: () => c.setRole(p.identity, 'co-host') },
      );
    }
    // A co-host removes attendees; only the host removes a co-host.
    if (p.role !== 'co-host' || s.abilities.changeRoles) actions.push({ label: this.t('people.removeFromMeeting'), danger: true, run: () => c.remove(p.identity) });
    return actions;
  }

  private renderMicrophone(s: MeetingState, c: MeetingController, p: ParticipantView) {
    if (p.microphone.muted) return html`<span class="state mic-off" role="img" aria-label=${this.t('tile.micOff')}>${icon('micOff')}</span>`;
    if (p.isLocal || !s.abilities.moderate || !p.microphone.trackSid) return nothing;
    const label = this.t('people.muteName', { name: p.name });
    return html`<button part="action mute" class="icon-button" aria-label=${label} title=${label} @click=${() => this.run(() => c.mute(p.identity, 'microphone'))}>${icon('mic')}</button>`;
  }

  private renderMenu(s: MeetingState, c: MeetingController, p: ParticipantView) {
    const actions = this.menuActions(s, c, p);
    if (actions.length === 0) return nothing;
    const open = this.menuFor === p.identity;
    const label = this.t('people.actionsFor', { name: p.name });
    return html`<span class="menu-anchor">
      <button part="actions-menu" class="icon-button" data-menu-of=${p.identity} aria-haspopup="menu" aria-expanded=${String(open)} aria-label=${label} title=${label} @click=${() => this.openMenu(p.identity)}>
        ${icon('more')}
      </button>
      <span class="menu" part="menu" role="menu" aria-label=${label} ?hidden=${!open} @keydown=${this.onMenuKey}>
        ${actions.map((a) => html`<button part="action" role="menuitem" class=${a.danger ? 'danger' : ''} @click=${() => this.run(a.run)}>${a.label}</button>`)}
      </span>
    </span>`;
  }

  private renderPerson(s: MeetingState, c: MeetingController, p: ParticipantView) {
    const role = p.role === 'host' ? this.t('tile.host') : p.role === 'co-host' ? this.t('tile.coHost') : '';
    return html`<li part="participant">
      <span class="avatar hue-${String(hueOf(p.identity))}" part="avatar" aria-hidden="true">${initials(p.name)}</span>
      <span class="who">
        <span class="name">${p.isLocal ? this.t('tile.you', { name: p.name }) : p.name}</span>
        ${role ? html`<span class="role">${role}</span>` : nothing}
      </span>
      ${p.handRaised ? html`<span class="state hand" role="img" aria-label=${this.t('tile.hand')}>${icon('hand')}</span>` : nothing}
      ${this.renderMicrophone(s, c, p)} ${this.renderMenu(s, c, p)}
    </li>`;
  }

  protected override render() {
    const s = this.meeting.value;
    const c = this.controller;
    if (!s || !c) return nothing;
    const handOrder = new Map(s.hands.map((id, i) => [id, i]));
    const searchable = s.participants.length >= SEARCH_FROM;
    const wanted = searchable ? folded(this.query.trim()) : '';
    const people = [...s.participants]
      .filter((p) => wanted === '' || folded(p.name).includes(wanted))
      .sort((a, b) => (handOrder.get(a.identity) ?? Infinity) - (handOrder.get(b.identity) ?? Infinity));
    return html`
      <h3 id="people-heading">${this.t('people.heading', { count: s.participants.length })}</h3>
      ${searchable
        ? html`<input
            type="search"
            part="search"
            class="search"
            aria-label=${this.t('people.search')}
            placeholder=${this.t('people.search')}
            .value=${this.query}
            @input=${(event: Event) => (this.query = (event.target as HTMLInputElement).value)}
            @keydown=${this.onSearchKey}
          />`
        : nothing}
      ${s.abilities.moderate && s.hands.length > 0
        ? html`<button class="lower-hands" part="action lower-hands" @click=${() => this.run(async () => {
            await c.lowerAllHands();
          })}>${icon('hand')}<span>${this.t('people.lowerAllHands')}</span></button>`
        : nothing}
      <ul part="list" aria-labelledby="people-heading">
        ${people.map((p) => this.renderPerson(s, c, p))}
      </ul>
      ${people.length === 0 && wanted !== '' ? html`<p class="no-match" part="no-match" role="status">${this.t('people.noMatch', { query: this.query.trim() })}</p>` : nothing}
      ${s.abilities.moderate && s.waiting.length > 0
        ? html`<h3 id="waiting-heading">${this.t('room.waitingList')}</h3>
            <ul part="waiting" aria-labelledby="waiting-heading">
              ${s.waiting.map(
                (w) => html`<li>
                  <span class="avatar hue-${String(hueOf(w.displayName))}" part="avatar" aria-hidden="true">${initials(w.displayName)}</span>
                  <span class="who"><span class="name">${w.displayName}</span></span>
                  <button part="action deny" class="text" @click=${() => this.run(() => c.deny(w.waitingId))}>${this.t('room.deny')}</button>
                  <button part="action admit" class="filled" @click=${() => this.run(() => c.admit(w.waitingId))}>${this.t('room.admit')}</button>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${s.abilities.moderate
        ? html`<button class="lock" part="lock" aria-pressed=${String(s.locked)} @click=${() => this.run(() => (s.locked ? c.unlock() : c.lock()))}>
            ${icon('lock')}<span>${s.locked ? this.t('people.unlock') : this.t('people.lock')}</span>
          </button>`
        : nothing}
    `;
  }
}
