import { provide } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { MeetingApiClient, type AuthProvider } from '../../core/api/meeting-api-client.js';
import { MeetingController } from '../../core/controller/meeting-controller.js';
import type { ChatMessage, Role } from '../../core/api/types.js';
import type { MeetingState, Phase, PhaseReason } from '../../core/controller/state.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { displayNameProblem } from '../../internal/display-name.js';
import '../meeting-chat/meeting-chat.js';
import '../meeting-lobby/meeting-lobby.js';
import '../meeting-controls/meeting-controls.js';
import type { MeetingPanelToggleDetail } from '../meeting-controls/meeting-controls.component.js';
import '../meeting-participants/meeting-participants.js';
import '../meeting-settings/meeting-settings.js';
import '../participant-grid/participant-grid.js';
import { GRID_TILE_PARTS } from '../participant-grid/participant-grid.component.js';
import { meetingRoomStyles } from './meeting-room.styles.js';

export { MAX_DISPLAY_NAME_LENGTH } from '../../internal/display-name.js';
export type { MeetingJoinRequestDetail } from '../meeting-lobby/meeting-lobby.component.js';

export type MeetingTheme = 'light' | 'dark' | 'auto';
const THEMES: readonly MeetingTheme[] = ['light', 'dark', 'auto'];
/** The tile parts a page can style through the room, e.g. `meeting-room::part(tile-label)`. */
const GRID_PARTS = ['tile', ...GRID_TILE_PARTS, 'stage', 'filmstrip', 'pager'].join(', ');

export type MediaSwitch = 'on' | 'off';
const SWITCHES: readonly MediaSwitch[] = ['on', 'off'];
export type RoomLayout = 'grid' | 'speaker';
const LAYOUTS: readonly RoomLayout[] = ['grid', 'speaker'];

export interface MeetingJoinedDetail {
  meetingId: string;
  /** The local participant's LiveKit identity. */
  identity: string;
  role: Role;
}

export interface MeetingLeftDetail {
  /** `LEFT` when the user left; otherwise why the call ended for them (removed, connection lost...). */
  reason: PhaseReason | undefined;
}

export interface MeetingEndedDetail {
  reason: PhaseReason | undefined;
}

export interface MeetingErrorDetail {
  /** A stable code: the server's (`MEETING_NOT_FOUND`, `ADMISSION_DENIED`, ...) or the widget's. */
  code: string;
  message: string;
}

export interface MeetingParticipantDetail {
  identity: string;
  name: string;
}

export interface MeetingChatMessageDetail extends ChatMessage {
  /** True for the messages this user sent. */
  isLocal: boolean;
}

export interface MeetingHandRaisedDetail {
  identity: string;
  name: string;
  /** False when the hand goes down again. */
  raised: boolean;
}

export interface MeetingPhaseChangeDetail {
  phase: Phase;
  /** Why, for `left`, `ended`, `denied` and `error`. */
  reason: PhaseReason | undefined;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-phase-change': MeetingPhaseChangeDetail;
    'meeting-joined': MeetingJoinedDetail;
    'meeting-left': MeetingLeftDetail;
    'meeting-ended': MeetingEndedDetail;
    'meeting-error': MeetingErrorDetail;
    'meeting-participant-joined': MeetingParticipantDetail;
    'meeting-participant-left': MeetingParticipantDetail;
    'meeting-chat-message': MeetingChatMessageDetail;
    'meeting-hand-raised': MeetingHandRaisedDetail;
  }
}

/**
 * @tagname meeting-room
 * @summary The whole meeting experience: lobby, waiting room, call and end screens.
 *
 * @fires {CustomEvent<MeetingJoinRequestDetail>} meeting-join-request - The user asked to join from the
 * lobby (or `skip-lobby` did). Cancelable: a host page that calls `preventDefault()` keeps the user
 * in the lobby.
 * @fires {CustomEvent<MeetingPhaseChangeDetail>} meeting-phase-change - The meeting moved on: waiting,
 * connected, reconnecting, left, ended, denied or failed (with the reason).
 * @fires {CustomEvent<MeetingJoinedDetail>} meeting-joined - The user is in the call (not fired again
 * after a reconnection).
 * @fires {CustomEvent<MeetingLeftDetail>} meeting-left - The user is out of the call: they left, were
 * removed, or the connection could not be restored.
 * @fires {CustomEvent<MeetingEndedDetail>} meeting-ended - A host ended the meeting for everyone.
 * @fires {CustomEvent<MeetingErrorDetail>} meeting-error - Joining failed or was refused, with a stable code.
 * @fires {CustomEvent<MeetingParticipantDetail>} meeting-participant-joined - Someone else came into the call.
 * @fires {CustomEvent<MeetingParticipantDetail>} meeting-participant-left - Someone else left the call.
 * @fires {CustomEvent<MeetingChatMessageDetail>} meeting-chat-message - A chat message arrived or was sent.
 * @fires {CustomEvent<MeetingHandRaisedDetail>} meeting-hand-raised - A hand went up, or down again.
 *
 * @slot lobby-extra - Content under the lobby form (terms, help links).
 * @slot controls-extra - Extra buttons of the host page in the control bar, before leave.
 *
 * @csspart base - The outermost wrapper.
 * @csspart lobby - The lobby card (the parts below come from `<meeting-lobby>`).
 * @csspart heading - The lobby heading.
 * @csspart meeting-id - The line naming the meeting.
 * @csspart name-label - The label around the name field.
 * @csspart name-input - The display-name text field.
 * @csspart join-button - The button that asks to join.
 * @csspart message - Validation and guidance messages.
 * @csspart preview - The camera preview in the lobby.
 * @csspart mic-level - The lobby's microphone level meter.
 * @csspart device-toggles - The lobby's microphone and camera switches.
 * @csspart settings - The lobby's `<meeting-settings>` (device choice).
 * @csspart status - Waiting, joining and end-of-meeting screens.
 * @csspart call - The call layout (grid, controls, chat).
 * @csspart grid - The `<participant-grid>`.
 * @csspart tile - Each `<participant-tile>`; its inner parts are exported as `tile-base`, `tile-video`,
 * `tile-avatar`, `tile-label`, `tile-muted`, `tile-hand`, `tile-role`, `tile-quality`, `tile-pin`, `tile-reaction`.
 * @csspart stage - The large area of speaker view and screen sharing.
 * @csspart filmstrip - The strip under the stage.
 * @csspart pager - The page buttons.
 * @csspart controls-base - The control bar itself.
 * @csspart controls - The `<meeting-controls>`.
 * @csspart chat - The `<meeting-chat>` panel.
 * @csspart people - The `<meeting-participants>` panel.
 * @csspart settings-panel - The `<meeting-settings>` panel of the call.
 * @csspart error - A failed action during the call (e.g. recording refused), with a button to close it.
 * @csspart announcer - The visually hidden live region that tells screen-reader users who joined,
 * left, raised a hand or wrote.
 * @csspart waiting - Hosts' list of people asking to join.
 * @csspart admit - The button that lets one of them in.
 * @csspart deny - The button that turns one of them away.
 *
 * @cssprop [--meeting-color-background=#ffffff] - Background of the widget.
 * @cssprop [--meeting-color-surface=#f2f4f7] - Background of cards and panels.
 * @cssprop [--meeting-color-text=#1b1d21] - Main text colour.
 * @cssprop [--meeting-color-text-muted=#545a66] - Secondary text colour.
 * @cssprop [--meeting-color-accent=#1f5fd1] - Primary actions and focus rings.
 * @cssprop [--meeting-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssprop [--meeting-color-danger=#b3261e] - Errors and destructive actions.
 * @cssprop [--meeting-radius=12px] - Corner radius of cards; controls use half of it.
 * @cssprop [--meeting-spacing=16px] - Base spacing unit.
 * @cssprop [--meeting-font-family=system-ui] - Font family.
 * @cssprop [--meeting-font-size=16px] - Base font size.
 * @cssprop [--meeting-call-height=560px] - Height of the call layout (grid, controls and chat).
 * @cssprop [--meeting-tile-background=#3a3f4b] - Background of tiles and of the lobby preview.
 */
export class MeetingRoom extends MeetingElement {
  static override styles = meetingRoomStyles;

  /** Base URL of the token/policy server, e.g. `https://meet.example.com`. */
  @property({ reflect: true }) server = '';

  /** Id of the meeting to join. */
  @property({ attribute: 'meeting-id', reflect: true }) meetingId = '';

  /** Display name to prefill in the lobby. */
  @property({ attribute: 'display-name' }) displayName = '';

  /** Colour scheme: `light`, `dark`, or `auto` to follow the system. Other values fall back to `auto`. */
  @property({ reflect: true }) theme: MeetingTheme = 'auto';

  /** Language of the widget's strings (BCP 47, e.g. `fr`); defaults to the page's language. */
  @property({ reflect: true }) override lang = '';

  /**
   * Join straight away, without the lobby, when a name is known (`display-name`). Without one the
   * lobby still asks for it.
   */
  @property({ attribute: 'skip-lobby', type: Boolean, reflect: true }) skipLobby = false;

  /** Microphone at the start: `on` (default) or `off`. The user can still change it in the lobby. */
  @property({ reflect: true }) audio: MediaSwitch = 'on';

  /** Camera at the start: `on` (default) or `off`. */
  @property({ reflect: true }) video: MediaSwitch = 'on';

  /** Layout of the call: `grid` (default) or `speaker` (the active speaker large, others in a strip). */
  @property({ reflect: true }) layout: RoomLayout = 'grid';

  /** Signs the user in: returns their bearer token, or null to join as a guest. Set from script. */
  @property({ attribute: false }) auth: AuthProvider | undefined;

  /** The same as `auth`, under the name other embeddable widgets use. */
  get authProvider(): AuthProvider | undefined {
    return this.auth;
  }

  set authProvider(provider: AuthProvider | undefined) {
    this.auth = provider;
  }

  /** The meeting engine behind the element, for hosts that want to drive it from script. */
  @provide({ context: meetingContext })
  @state()
  controller: MeetingController | undefined;

  /** The side panel the room shows besides chat (whose open state lives in the core). */
  @state() private panel: 'people' | 'settings' | null = null;
  /** The last action error the user closed: it stays closed until another one comes. */
  @state() private dismissedError: PhaseReason | undefined;
  /** The latest thing to tell screen-reader users (someone joined, left, raised a hand, wrote). */
  @state() private announcement = '';
  private known: Map<string, { name: string; hand: boolean; isLocal: boolean }> | undefined;
  private chatSeen = 0;

  private readonly meeting = new MeetingStateController(this);
  private lastPhase: Phase | undefined;
  private readonly players = new Map<string, { element: HTMLAudioElement; detach: () => void; sid: string }>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
    if (this.controller === undefined && this.hasUpdated) this.rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    this.teardown();
  }

  /** A new controller whenever what it depends on changes: the server, the meeting, the sign-in. */
  private rebuild(): void {
    this.teardown();
    const meetingId = this.meetingId.trim();
    if (meetingId === '' || !this.isConnected) return;
    const baseUrl = this.server.trim() || location.origin;
    try {
      const api = new MeetingApiClient({ baseUrl, ...(this.auth ? { auth: this.auth } : {}) });
      this.controller = new MeetingController({ api, meetingId });
    } catch (error) {
      console.warn(`[meeting-widget] <meeting-room>: ${(error as Error).message}`);
      return;
    }
    this.meeting.follow(this.controller);
    this.controller.setLayout(this.layout);
    const controller = this.controller;
    // The device test starts with the lobby; a refusal is shown there, joining still works.
    void controller
      .preview({ audio: this.audio !== 'off', video: this.video !== 'off' })
      .catch(() => undefined)
      .then(() => {
        if (this.skipLobby && this.controller === controller && controller.state.phase === 'lobby') this.skipTheLobby();
      });
  }

  private teardown(): void {
    for (const entry of this.players.values()) entry.detach();
    this.players.clear();
    const old = this.controller;
    this.controller = undefined;
    this.meeting.follow(undefined);
    this.lastPhase = undefined;
    void old?.dispose();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('meetingId') || changed.has('server') || changed.has('auth')) this.rebuild();
    if (this.meeting.value) this.announce(this.meeting.value);
    const phase = this.meeting.value?.phase;
    if (phase !== undefined && phase !== this.lastPhase) {
      const previous = this.lastPhase;
      this.lastPhase = phase;
      // Idle and lobby are where every meeting starts: not news for the host page.
      if (previous !== undefined || (phase !== 'idle' && phase !== 'lobby')) this.emit('meeting-phase-change', { phase, reason: this.meeting.value?.reason });
      if (this.meeting.value) this.emitPhaseEvent(this.meeting.value, previous);
    }
    if (changed.has('theme') && !THEMES.includes(this.theme)) {
      console.warn(`[meeting-widget] <meeting-room> theme="${this.theme}" is not one of ${THEMES.join(', ')}; using auto.`);
      this.theme = 'auto';
    }
    for (const [name, allowed, fallback] of [
      ['audio', SWITCHES, 'on'],
      ['video', SWITCHES, 'on'],
      ['layout', LAYOUTS, 'grid'],
    ] as const) {
      if (!changed.has(name) || (allowed as readonly string[]).includes(this[name])) continue;
      console.warn(`[meeting-widget] <meeting-room> ${name}="${this[name]}" is not one of ${allowed.join(', ')}; using ${fallback}.`);
      (this as Record<typeof name, string>)[name] = fallback;
    }
    if (changed.has('layout') && !changed.has('meetingId') && !changed.has('server') && !changed.has('auth')) this.controller?.setLayout(this.layout);
  }

  /** `skip-lobby`: joins under the given name, or leaves the lobby up when there is none to use. */
  private skipTheLobby(): void {
    const displayName = this.displayName.trim();
    if (displayNameProblem(displayName) !== null) return;
    if (!this.emit('meeting-join-request', { meetingId: this.meetingId, displayName }, { cancelable: true })) return;
    void this.controller?.join({ displayName }).catch(() => undefined);
  }

  /**
   * Ctrl/⌘+D toggles the microphone and Ctrl/⌘+E the camera, as in the meeting apps people know.
   * Only while focus is inside this widget, so the host page keeps its own shortcuts.
   */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const c = this.controller;
    if (!c || this.meeting.value?.phase !== 'connected') return;
    const key = event.key.toLowerCase();
    if (key !== 'd' && key !== 'e') return;
    event.preventDefault();
    void (key === 'd' ? c.toggleMicrophone() : c.toggleCamera()).catch(() => undefined);
  };

  /** The host page hears of the big moments: in, out, ended, refused. */
  private emitPhaseEvent(state: MeetingState, previous: Phase | undefined): void {
    const reason = state.reason;
    switch (state.phase) {
      case 'connected':
        if (previous !== 'reconnecting' && state.localIdentity !== undefined && state.role !== undefined) {
          this.emit('meeting-joined', { meetingId: state.meetingId ?? this.meetingId, identity: state.localIdentity, role: state.role });
        }
        break;
      case 'left':
        this.emit('meeting-left', { reason });
        break;
      case 'ended':
        this.emit('meeting-ended', { reason });
        break;
      case 'denied':
        this.emit('meeting-error', { code: reason?.code ?? 'ADMISSION_DENIED', message: reason?.message ?? this.t('room.denied') });
        break;
      case 'error':
        this.emit('meeting-error', { code: reason?.code ?? state.lastError?.code ?? 'UNKNOWN', message: reason?.message ?? state.lastError?.message ?? '' });
        break;
      default:
        break;
    }
  }

  /**
   * Turns changes in the call into events for the host page and short sentences for the live
   * region. Who was already there, and the chat history, are the starting point, not news.
   */
  private announce(state: MeetingState): void {
    if (state.phase !== 'connected') {
      this.known = undefined;
      return;
    }
    // The user's own arrival is meeting-joined, not news about someone else.
    const now = new Map(state.participants.map((p) => [p.identity, { name: p.name, hand: p.handRaised, isLocal: p.isLocal }]));
    const lines: string[] = [];
    if (this.known) {
      for (const [identity, p] of now) {
        const before = this.known.get(identity);
        if (!before) {
          if (p.isLocal) continue;
          lines.push(this.t('announce.joined', { name: p.name }));
          this.emit('meeting-participant-joined', { identity, name: p.name });
        } else if (p.hand !== before.hand) {
          if (p.hand) lines.push(this.t('announce.hand', { name: p.name }));
          this.emit('meeting-hand-raised', { identity, name: p.name, raised: p.hand });
        }
      }
      for (const [identity, p] of this.known) {
        if (now.has(identity) || p.isLocal) continue;
        lines.push(this.t('announce.left', { name: p.name }));
        this.emit('meeting-participant-left', { identity, name: p.name });
      }
      for (const m of state.chat.messages.slice(this.chatSeen)) {
        const isLocal = m.identity === state.localIdentity;
        if (!isLocal) lines.push(this.t('announce.chat', { name: m.displayName, text: m.text.slice(0, 140) }));
        this.emit('meeting-chat-message', { ...m, isLocal });
      }
    }
    this.known = now;
    this.chatSeen = state.chat.messages.length;
    if (lines.length > 0) this.announcement = lines.join(' ');
  }

  /** One side panel at a time: opening people or settings closes chat, and the other way round. */
  private readonly onPanelToggle = (event: CustomEvent<MeetingPanelToggleDetail>): void => {
    const { panel, open } = event.detail;
    if (panel === 'chat') {
      if (open) this.panel = null;
      return;
    }
    this.panel = open ? panel : null;
    if (open) this.controller?.setChatOpen(false);
  };


  private readonly rejoin = (): void => {
    const displayName = this.controller?.state.displayName ?? this.displayName.trim();
    void this.controller?.join({ displayName }).catch(() => undefined);
  };

  private readonly cancelWaiting = (): void => {
    void this.controller?.leave();
  };

  protected override updated(): void {
    this.syncAudio();
  }

  /** Everyone's microphone plays, whichever page their tile is on. */
  private syncAudio(): void {
    const state = this.meeting.value;
    const container = this.renderRoot.querySelector('.audio');
    const wanted = new Map<string, string>();
    if (state && container && state.phase === 'connected') {
      for (const p of state.participants) {
        if (!p.isLocal && p.microphone.trackSid && p.microphone.subscribed) wanted.set(p.identity, p.microphone.trackSid);
      }
    }
    for (const [identity, entry] of this.players) {
      if (wanted.get(identity) === entry.sid) continue;
      entry.detach();
      entry.element.remove();
      this.players.delete(identity);
    }
    for (const [identity, sid] of wanted) {
      if (this.players.has(identity) || !container || !this.controller) continue;
      const element = document.createElement('audio');
      element.autoplay = true;
      container.append(element);
      this.players.set(identity, { element, detach: this.controller.attach(identity, 'microphone', element), sid });
    }
  }

  private renderLobby() {
    return html`
      <div class="base" part="base">
        <div class="audio" hidden></div>
        <meeting-lobby
          exportparts="lobby, heading, meeting-id, name-label, name-input, join-button, message, preview, mic-level, device-toggles, settings"
          theme=${this.theme}
          meeting-id=${this.meetingId.trim()}
          display-name=${this.displayName}
          .controller=${this.controller}
        >
          <slot name="lobby-extra" slot="extra"></slot>
        </meeting-lobby>
      </div>
    `;
  }

  private renderStatus(text: string, action?: { label: string; run: () => void }) {
    return html`
      <div class="base" part="base">
        <div class="audio" hidden></div>
        <div class="status" part="status" role="status">
          <p>${text}</p>
          ${action ? html`<button @click=${action.run}>${action.label}</button>` : nothing}
        </div>
      </div>
    `;
  }

  private renderCall(state: MeetingState) {
    return html`
      <div class="call" part="base call">
        <div class="audio" hidden></div>
        <div class="sr-only" part="announcer" role="status" aria-live="polite">${this.announcement}</div>
        ${state.phase === 'reconnecting' ? html`<p class="banner" role="status">${this.t('room.reconnecting')}</p>` : nothing}
        ${state.lastError && state.lastError !== this.dismissedError
          ? html`<div class="banner error" part="error" role="alert">
              <span>${state.lastError.message}</span>
              <button class="secondary" @click=${() => (this.dismissedError = state.lastError)}>${this.t('room.dismiss')}</button>
            </div>`
          : nothing}
        ${state.abilities.moderate && state.waiting.length > 0 ? this.renderWaitingList(state) : nothing}
        <div class="stage">
          <participant-grid part="grid" exportparts=${GRID_PARTS} theme=${this.theme}></participant-grid>
          ${state.chat.open ? html`<meeting-chat part="chat" theme=${this.theme}></meeting-chat>` : nothing}
          ${this.panel === 'people' && !state.chat.open ? html`<meeting-participants part="people" theme=${this.theme}></meeting-participants>` : nothing}
          ${this.panel === 'settings' && !state.chat.open ? html`<meeting-settings part="settings-panel" class="panel" theme=${this.theme}></meeting-settings>` : nothing}
        </div>
        <meeting-controls part="controls" exportparts="base: controls-base" theme=${this.theme} ?people-open=${this.panel === 'people' && !state.chat.open} ?settings-open=${this.panel === 'settings' && !state.chat.open} @meeting-panel-toggle=${this.onPanelToggle}><slot name="controls-extra"></slot></meeting-controls>
      </div>
    `;
  }

  /** People asking to come in, for hosts and co-hosts, answered in the order they arrived. */
  private renderWaitingList(state: MeetingState) {
    const c = this.controller;
    return html`
      <ul class="waiting" part="waiting" aria-label=${this.t('room.waitingList')}>
        ${state.waiting.map(
          (w) => html`<li>
            <span>${this.t('room.asksToJoin', { name: w.displayName })}</span>
            <button part="admit" @click=${() => void c?.admit(w.waitingId).catch(() => undefined)}>${this.t('room.admit')}</button>
            <button part="deny" class="secondary" @click=${() => void c?.deny(w.waitingId).catch(() => undefined)}>${this.t('room.deny')}</button>
          </li>`,
        )}
      </ul>
    `;
  }

  protected override render() {
    const state = this.meeting.value;
    switch (state?.phase) {
      case 'waiting':
        return this.renderStatus(this.t('room.waiting'), { label: this.t('room.cancel'), run: this.cancelWaiting });
      case 'connected':
      case 'reconnecting':
        return this.renderCall(state);
      case 'left':
        return this.renderStatus(state.reason?.code === 'LEFT' ? this.t('room.left') : (state.reason?.message ?? this.t('room.left')), { label: this.t('room.rejoin'), run: this.rejoin });
      case 'ended':
        return this.renderStatus(this.t('room.ended'));
      case 'denied':
        return this.renderStatus(this.t('room.denied'));
      default:
        return this.renderLobby();
    }
  }
}
