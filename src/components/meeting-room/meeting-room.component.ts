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
import { icon } from '../../internal/icons.js';
import { KeyedChildren } from '../../internal/keyed-children.js';
import { MediaBinder } from '../../internal/media.js';
import { MutedSpeech } from '../../internal/muted-speech.js';
import '../meeting-chat/meeting-chat.js';
import '../meeting-lobby/meeting-lobby.js';
import '../meeting-controls/meeting-controls.js';
import type { MeetingPanelToggleDetail } from '../meeting-controls/meeting-controls.component.js';
import '../meeting-participants/meeting-participants.js';
import '../meeting-settings/meeting-settings.js';
import '../participant-grid/participant-grid.js';
import { GRID_TILE_PARTS, type SelfView } from '../participant-grid/participant-grid.component.js';
import { meetingRoomStyles } from './meeting-room.styles.js';
import { Toasts, type Toast } from './toasts.js';

export { MAX_DISPLAY_NAME_LENGTH } from '../../internal/display-name.js';
export type { MeetingJoinRequestDetail } from '../meeting-lobby/meeting-lobby.component.js';

export type MeetingTheme = 'light' | 'dark' | 'auto';
const THEMES: readonly MeetingTheme[] = ['light', 'dark', 'auto'];
/** The tile parts a page can style through the room, e.g. `meeting-room::part(tile-label)`. */
const GRID_PARTS = ['tile', ...GRID_TILE_PARTS, 'stage', 'filmstrip', 'self-view', 'pager'].join(', ');

export type MediaSwitch = 'on' | 'off';
const SWITCHES: readonly MediaSwitch[] = ['on', 'off'];
export type RoomLayout = 'grid' | 'speaker';
const LAYOUTS: readonly RoomLayout[] = ['grid', 'speaker'];
const SELF_VIEWS: readonly SelfView[] = ['corner', 'tile', 'hidden'];

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
 * The element fills the box the page gives it (`display: block; height: 100%`), with a minimum
 * height of `--meeting-min-height` (480px) when the page gives none; it never scrolls the page,
 * only its panels scroll inside. In the call: a thin top bar (title, recording and lock), the stage
 * (grid or speaker view, dark by default: `--meeting-stage-*`) over one control bar; chat, people
 * and settings dock at the side on wide screens and open as a sheet over the call on phones.
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
 * @csspart device-toggles - The lobby's microphone and camera buttons over the preview.
 * @csspart settings - The lobby's `<meeting-settings>` (device choice).
 * @csspart status - Waiting, joining and end-of-meeting screens.
 * @csspart call - The call layout (top bar, stage, panel, control bar).
 * @csspart topbar - The thin bar above the stage: title, people count, recording and lock.
 * @csspart title - The meeting's title in the top bar.
 * @csspart recording - The "recording" indicator everyone sees while the meeting is recorded.
 * @csspart locked - The "locked" indicator while no one else may join.
 * @csspart stage - The large area of speaker view and screen sharing.
 * @csspart grid - The `<participant-grid>`.
 * @csspart tile - Each `<participant-tile>`; its inner parts are exported as `tile-base`, `tile-video`,
 * `tile-avatar`, `tile-label`, `tile-muted`, `tile-hand`, `tile-role`, `tile-quality`, `tile-pin`, `tile-reaction`.
 * @csspart filmstrip - The strip beside (or under) the stage.
 * @csspart self-view - The user's own tile in the corner of a 1:1 call (`self-view="corner"`).
 * @csspart pager - The page buttons.
 * @csspart controls-base - The control bar itself.
 * @csspart controls - The `<meeting-controls>`.
 * @csspart panel - The side panel (docked) or sheet (phones) holding chat, people or settings.
 * @csspart panel-close - The button that closes the panel.
 * @csspart chat - The `<meeting-chat>` panel.
 * @csspart people - The `<meeting-participants>` panel.
 * @csspart settings-panel - The `<meeting-settings>` panel of the call.
 * @csspart error - A failed action during the call (e.g. recording refused), with a button to close it.
 * @csspart reconnecting - The banner shown while the connection is being restored.
 * @csspart toasts - The stack of passing notices (joined, left, hand raised).
 * @csspart toast - Each notice.
 * @csspart muted-hint - "You are muted", shown when the user talks with the microphone muted.
 * @csspart announcer - The visually hidden live region that tells screen-reader users who joined,
 * left, raised a hand or wrote.
 * @csspart waiting - Hosts' list of people asking to join.
 * @csspart admit - The button that lets one of them in.
 * @csspart deny - The button that turns one of them away.
 *
 * @cssprop [--meeting-color-background=#ffffff] - Background of the lobby, end screens and panels.
 * @cssprop [--meeting-color-surface=#f1f3f4] - Background of cards and fields.
 * @cssprop [--meeting-color-border=#dadce0] - Lines and field borders.
 * @cssprop [--meeting-color-text=#1b1d21] - Main text colour.
 * @cssprop [--meeting-color-text-muted=#545a66] - Secondary text colour.
 * @cssprop [--meeting-color-accent=#1a5fd0] - Primary actions and focus rings.
 * @cssprop [--meeting-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssprop [--meeting-color-danger=#c5221f] - Errors and destructive actions.
 * @cssprop [--meeting-stage-background=#202124] - Background of the call (top bar, stage, control bar).
 * @cssprop [--meeting-stage-surface=#3c4043] - Buttons and cards on the stage.
 * @cssprop [--meeting-stage-text=#e8eaed] - Text and icons on the stage.
 * @cssprop [--meeting-stage-text-muted=#bdc1c6] - Secondary text on the stage.
 * @cssprop [--meeting-stage-border=#5f6368] - Lines on the stage.
 * @cssprop [--meeting-stage-accent=#8ab4f8] - Pressed toggles and focus rings on the stage.
 * @cssprop [--meeting-stage-on-accent=#202124] - Icons on the stage's accent colour.
 * @cssprop [--meeting-stage-danger=#ea4335] - Danger colour on the stage.
 * @cssprop [--meeting-min-height=480px] - Height of the element when the page gives it none.
 * @cssprop [--meeting-panel-width=360px] - Width of the docked side panel.
 * @cssprop [--meeting-radius=12px] - Corner radius of cards; controls use half of it.
 * @cssprop [--meeting-spacing=16px] - Base spacing unit.
 * @cssprop [--meeting-font-family=Noto Sans, system-ui] - Font family.
 * @cssprop [--meeting-font-size=16px] - Base font size.
 * @cssprop [--meeting-tile-background=#3c4043] - Background of tiles and of the lobby preview.
 *
 * Custom states: `meeting-room:state(in-call)` during the call, `:state(panel-open)` while a side
 * panel is open.
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

  /**
   * Your own picture in a call of two: `tile` (default: side by side with the other person),
   * `corner` (the other person large, you small in a corner) or `hidden`.
   */
  @property({ attribute: 'self-view', reflect: true }) selfView: SelfView = 'tile';

  /** Signs the user in: returns their bearer token, or null to join as a guest. Set from script. */
  @property({ attribute: false }) auth: AuthProvider | undefined;

  /** The same as `auth`, under the name other embeddable widgets use. */
  get authProvider(): AuthProvider | undefined {
    return this.auth;
  }

  set authProvider(provider: AuthProvider | undefined) {
    this.auth = provider;
  }

  /**
   * The meeting engine behind the element, for hosts that want to drive it from script. The room
   * makes its own from `server` and `meeting-id`; a controller set here (an app that made one with
   * `meeting-widget/core`) is used instead, and the room leaves its disposal to the app.
   */
  @provide({ context: meetingContext })
  @property({ attribute: false })
  controller: MeetingController | undefined;
  /** The controller the room made itself (and so disposes). */
  private owned: MeetingController | undefined;

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
  private readonly toasts = new Toasts(this);
  private readonly mutedSpeech = new MutedSpeech(this);
  private readonly internals = this.attachInternals();
  /** Everyone's microphone, one <audio> per participant, kept by identity. */
  private readonly players = new KeyedChildren<HTMLAudioElement>(
    () => {
      const audio = document.createElement('audio');
      audio.autoplay = true;
      return audio;
    },
    (audio) => binders.get(audio)?.release(),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
    if (this.controller !== undefined && this.controller !== this.owned) this.meeting.follow(this.controller);
    else if (this.controller === undefined && this.hasUpdated) this.rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    this.teardown();
  }

  /** A new controller whenever what it depends on changes: the server, the meeting, the sign-in. */
  private rebuild(): void {
    // An app's own controller stays until the app replaces or removes it.
    if (this.controller !== undefined && this.controller !== this.owned) return;
    this.teardown();
    const meetingId = this.meetingId.trim();
    if (meetingId === '' || !this.isConnected) return;
    const baseUrl = this.server.trim() || location.origin;
    let controller: MeetingController;
    try {
      const api = new MeetingApiClient({ baseUrl, ...(this.auth ? { auth: this.auth } : {}) });
      controller = new MeetingController({ api, meetingId });
    } catch (error) {
      console.warn(`[meeting-widget] <meeting-room>: ${(error as Error).message}`);
      return;
    }
    this.owned = controller;
    this.controller = controller;
    this.meeting.follow(controller);
    controller.setLayout(this.layout);
    // The device test starts with the lobby; a refusal is shown there, joining still works.
    void controller
      .preview({ audio: this.audio !== 'off', video: this.video !== 'off' })
      .catch(() => undefined)
      .then(() => {
        if (this.skipLobby && this.controller === controller && controller.state.phase === 'lobby') this.skipTheLobby();
      });
  }

  /** Lets go of the meeting: the room's own controller is disposed, an app's is only unfollowed. */
  private teardown(): void {
    this.players.clear();
    this.toasts.clear();
    this.meeting.follow(undefined);
    this.lastPhase = undefined;
    const owned = this.owned;
    this.owned = undefined;
    if (owned && this.controller === owned) this.controller = undefined;
    void owned?.dispose();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller') && this.controller !== this.owned) {
      // The app handed over its own controller (or took it away): the room's own one goes.
      const external = this.controller;
      const owned = this.owned;
      this.owned = undefined;
      void owned?.dispose();
      this.meeting.follow(external);
      this.lastPhase = undefined;
    }
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
    for (const [name, allowed, fallback, attribute] of [
      ['audio', SWITCHES, 'on', 'audio'],
      ['video', SWITCHES, 'on', 'video'],
      ['layout', LAYOUTS, 'grid', 'layout'],
      ['selfView', SELF_VIEWS, 'tile', 'self-view'],
    ] as const) {
      if (!changed.has(name) || (allowed as readonly string[]).includes(this[name])) continue;
      console.warn(`[meeting-widget] <meeting-room> ${attribute}="${this[name]}" is not one of ${allowed.join(', ')}; using ${fallback}.`);
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
          this.toasts.add('joined', p.name);
          this.emit('meeting-participant-joined', { identity, name: p.name });
        } else if (p.hand !== before.hand) {
          if (p.hand) {
            lines.push(this.t('announce.hand', { name: p.name }));
            if (!p.isLocal) this.toasts.add('hand', p.name);
          }
          this.emit('meeting-hand-raised', { identity, name: p.name, raised: p.hand });
        }
      }
      for (const [identity, p] of this.known) {
        if (now.has(identity) || p.isLocal) continue;
        lines.push(this.t('announce.left', { name: p.name }));
        this.toasts.add('left', p.name);
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

  private readonly closePanel = (): void => {
    const which = this.meeting.value?.chat.open ? 'chat' : this.panel;
    if (which === 'chat') this.controller?.setChatOpen(false);
    this.panel = null;
    // Focus goes back to the button that opened the panel.
    if (which) void this.updateComplete.then(() => this.controlsPart(which)?.focus());
  };

  private controlsPart(name: string): HTMLElement | null | undefined {
    return this.renderRoot.querySelector('meeting-controls')?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  }

  private readonly onPanelKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.closePanel();
  };

  private readonly unmute = (): void => {
    void this.controller?.setMicrophone(true).catch(() => undefined);
  };

  protected override updated(): void {
    this.syncAudio();
    const s = this.meeting.value;
    const local = s?.participants.find((p) => p.isLocal);
    this.mutedSpeech.follow(this.controller, s?.phase === 'connected' ? s.localIdentity : undefined, s?.local.microphone.enabled === false, local?.microphone.trackSid);
  }

  /** Everyone's microphone plays, whichever page their tile is on; one element per person. */
  private syncAudio(): void {
    const state = this.meeting.value;
    const container = this.renderRoot.querySelector('.audio');
    const wanted = new Map<string, string>();
    if (state && container && (state.phase === 'connected' || state.phase === 'reconnecting')) {
      for (const p of state.participants) {
        if (!p.isLocal && p.microphone.trackSid && p.microphone.subscribed) wanted.set(p.identity, p.microphone.trackSid);
      }
    }
    if (!container) {
      this.players.clear();
      return;
    }
    this.players.place(container, [...wanted.keys()], (audio, identity) => {
      let binder = binders.get(audio);
      if (!binder) binders.set(audio, (binder = new MediaBinder(audio)));
      binder.set({ controller: this.controller, identity, source: 'microphone', track: wanted.get(identity) });
    });
    this.players.prune(new Set(wanted.keys()));
  }

  private renderLobby() {
    return html`
      <div class="base lobby-screen" part="base">
        <div class="audio" hidden></div>
        <meeting-lobby
          exportparts="lobby, heading, meeting-id, name-label, name-input, join-button, message, preview, mic-level, device-toggles, settings"
          meeting-id=${this.meetingId.trim()}
          display-name=${this.displayName}
          .controller=${this.controller}
        >
          <slot name="lobby-extra" slot="extra"></slot>
        </meeting-lobby>
      </div>
    `;
  }

  private renderStatus(text: string, action?: { label: string; run: () => void }, tone: 'wait' | 'end' = 'end') {
    return html`
      <div class="base" part="base">
        <div class="audio" hidden></div>
        <div class="status ${tone}" part="status" role="status">
          ${tone === 'wait' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
          <p>${text}</p>
          ${action ? html`<button class=${tone === 'wait' ? 'secondary' : ''} @click=${action.run}>${action.label}</button>` : nothing}
        </div>
      </div>
    `;
  }

  private renderTopBar(state: MeetingState) {
    const title = state.meeting?.title ?? this.t('room.meeting');
    return html`<div class="topbar on-stage" part="topbar">
      <span class="title" part="title">${title}</span>
      <span class="count">${this.t('room.inCall', { count: state.participants.length })}</span>
      <span class="flags">
        ${state.recording.active ? html`<span class="flag recording" part="recording" role="status">${icon('record')}<span>${this.t('room.recordingOn')}</span></span>` : nothing}
        ${state.locked ? html`<span class="flag" part="locked">${icon('lock')}<span>${this.t('room.locked')}</span></span>` : nothing}
      </span>
    </div>`;
  }

  private toastText(toast: Toast): string {
    const [first = '', ...rest] = toast.names;
    const key = rest.length === 0 ? (`toast.${toast.kind}` as const) : (`toast.${toast.kind}Many` as const);
    return this.t(key, { name: first, count: rest.length });
  }

  /** Notices in the stage's corner; the live region already reads them, so they are not a second one. */
  private renderToasts() {
    if (this.toasts.items.length === 0) return nothing;
    return html`<ol class="toasts" part="toasts" aria-label=${this.t('room.notifications')}>
      ${this.toasts.items.map((toast) => html`<li class="toast ${toast.kind}" part="toast">${toast.kind === 'hand' ? icon('hand') : icon('people')}<span>${this.toastText(toast)}</span></li>`)}
    </ol>`;
  }

  private renderPanel(which: 'chat' | 'people' | 'settings') {
    const body =
      which === 'chat'
        ? html`<meeting-chat part="chat"></meeting-chat>`
        : which === 'people'
          ? html`<meeting-participants part="people"></meeting-participants>`
          : html`<h2 class="panel-heading">${this.t('room.settingsHeading')}</h2><meeting-settings part="settings-panel" class="settings"></meeting-settings>`;
    return html`<aside class="panel" part="panel" aria-label=${this.t(which === 'chat' ? 'controls.chat' : which === 'people' ? 'controls.people' : 'room.settingsHeading')} @keydown=${this.onPanelKey}>
      <button class="panel-close" part="panel-close" aria-label=${this.t('room.closePanel')} title=${this.t('room.closePanel')} @click=${this.closePanel}>${icon('close')}</button>
      ${body}
    </aside>`;
  }

  private renderCall(state: MeetingState) {
    const panel = state.chat.open ? 'chat' : this.panel;
    const hint = this.mutedSpeech.speaking && !state.local.microphone.enabled;
    return html`
      <div class="call ${panel ? 'with-panel' : ''}" part="base call">
        <div class="audio" hidden></div>
        <div class="sr-only" part="announcer" role="status" aria-live="polite">${this.announcement}</div>
        ${this.renderTopBar(state)}
        <div class="middle">
          <div class="stage-area on-stage" part="stage">
            <participant-grid part="grid" exportparts=${GRID_PARTS} self-view=${this.selfView}></participant-grid>
            <div class="overlays">
              ${state.phase === 'reconnecting' ? html`<p class="banner reconnecting" part="reconnecting" role="status"><span class="spinner" aria-hidden="true"></span>${this.t('room.reconnecting')}</p>` : nothing}
              ${state.lastError && state.lastError !== this.dismissedError
                ? html`<div class="banner error" part="error" role="alert">
                    <span>${state.lastError.message}</span>
                    <button class="text" @click=${() => (this.dismissedError = state.lastError)}>${this.t('room.dismiss')}</button>
                  </div>`
                : nothing}
              ${state.abilities.moderate && state.waiting.length > 0 && panel !== 'people' ? this.renderWaitingList(state) : nothing}
            </div>
            ${hint
              ? html`<div class="muted-hint" part="muted-hint" role="status">${icon('micOff')}<span>${this.t('room.mutedHint')}</span><button class="text" @click=${this.unmute}>${this.t('room.unmute')}</button></div>`
              : nothing}
            ${this.renderToasts()}
          </div>
          ${panel ? this.renderPanel(panel) : nothing}
        </div>
        <div class="bar on-stage">
          <meeting-controls part="controls" exportparts="base: controls-base" ?people-open=${panel === 'people'} ?settings-open=${panel === 'settings'} @meeting-panel-toggle=${this.onPanelToggle}><slot name="controls-extra"></slot></meeting-controls>
        </div>
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
            <span class="actions">
              <button part="deny" class="text" @click=${() => void c?.deny(w.waitingId).catch(() => undefined)}>${this.t('room.deny')}</button>
              <button part="admit" @click=${() => void c?.admit(w.waitingId).catch(() => undefined)}>${this.t('room.admit')}</button>
            </span>
          </li>`,
        )}
      </ul>
    `;
  }

  protected override render() {
    const state = this.meeting.value;
    const inCall = state?.phase === 'connected' || state?.phase === 'reconnecting';
    this.setState('in-call', inCall);
    this.setState('panel-open', inCall && (state.chat.open || this.panel !== null));
    switch (state?.phase) {
      case 'waiting':
        return this.renderStatus(this.t('room.waiting'), { label: this.t('room.cancel'), run: this.cancelWaiting }, 'wait');
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

  private setState(name: string, on: boolean): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    if (on) states.add(name);
    else states.delete(name);
  }
}

/** The binder of each audio element the room keeps. */
const binders = new WeakMap<HTMLAudioElement, MediaBinder>();
