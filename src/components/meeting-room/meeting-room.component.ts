import { provide } from '@lit/context';
import type { PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { MeetingApiClient, type AuthProvider } from '../../core/api/meeting-api-client.js';
import { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { displayNameProblem } from '../../internal/display-name.js';
import { systemClock, type MeetingClock } from '../../internal/elapsed-clock.js';
import type { SelfView } from '../participant-grid/participant-grid.component.js';
import { addStyles, loadCallView, preloadCallView, type CallModule } from './call-loader.js';
import type { CallView } from './call-view.js';
import { meetingRoomStyles } from './meeting-room.styles.js';
import { RoomAudio } from './room-audio.js';
import { RoomNews } from './room-news.js';
import { lobbyScreen, statusScreen } from './screens.js';

export { MAX_DISPLAY_NAME_LENGTH } from '../../internal/display-name.js';
export type { MeetingJoinRequestDetail } from '../meeting-lobby/meeting-lobby.component.js';
export type * from './room-events.js';

export type MeetingTheme = 'light' | 'dark' | 'auto';
const THEMES: readonly MeetingTheme[] = ['light', 'dark', 'auto'];

export type MediaSwitch = 'on' | 'off';
const SWITCHES: readonly MediaSwitch[] = ['on', 'off'];
export type RoomLayout = 'grid' | 'speaker';
const LAYOUTS: readonly RoomLayout[] = ['grid', 'speaker'];
const SELF_VIEWS: readonly SelfView[] = ['corner', 'tile', 'hidden'];

/**
 * @tagname meeting-room
 * @summary The whole meeting experience: lobby, waiting room, call and end screens.
 *
 * @fires {CustomEvent<MeetingJoinRequestDetail>} meeting-join-request - The user asked to join from the
 * lobby (or `skip-lobby` did). Cancelable: a host page that calls `preventDefault()` keeps the user
 * in the lobby.
 * @fires {CustomEvent<MeetingPhaseChangeDetail>} meeting-phase-change - The meeting moved on: joining,
 * waiting, connected, reconnecting, left, ended, denied or failed (with the reason and the phase before).
 * @fires {CustomEvent<MeetingJoinedDetail>} meeting-joined - The user is in the call (not fired again
 * after a reconnection).
 * @fires {CustomEvent<MeetingLeftDetail>} meeting-left - The user is out of the call: they left, were
 * removed, or the connection could not be restored.
 * @fires {CustomEvent<MeetingEndedDetail>} meeting-ended - A host ended the meeting for everyone.
 * @fires {CustomEvent<MeetingErrorDetail>} meeting-error - Joining failed or was refused, or the call was
 * lost for good: a stable code, and the message the widget shows for it in its language.
 * @fires {CustomEvent<MeetingParticipantDetail>} meeting-participant-joined - Someone else came into the call.
 * @fires {CustomEvent<MeetingParticipantDetail>} meeting-participant-left - Someone else left the call.
 * @fires {CustomEvent<MeetingChatMessageDetail>} meeting-chat-message - A chat message arrived or was sent
 * while the user is in the call (the history found on arrival fires nothing).
 * @fires {CustomEvent<MeetingHandRaisedDetail>} meeting-hand-raised - A hand went up, or down again.
 * @fires {CustomEvent<MeetingReconnectingDetail>} meeting-reconnecting - The connection was lost; the widget
 * is getting it back.
 * @fires {CustomEvent<MeetingReconnectedDetail>} meeting-reconnected - Back in the call after `meeting-reconnecting`.
 * @fires {CustomEvent<MeetingRecordingDetail>} meeting-recording-started - The meeting started being recorded.
 * @fires {CustomEvent<MeetingRecordingDetail>} meeting-recording-stopped - The recording stopped.
 * @fires {CustomEvent<MeetingPollDetail>} meeting-poll-opened - Someone (the user included) started a poll
 * during the call; polls found on arrival fire nothing.
 * @fires {CustomEvent<MeetingPollDetail>} meeting-poll-closed - A poll was closed; it stays listed with its results.
 * @fires {CustomEvent<MeetingBreakoutBroadcastDetail>} meeting-breakout-broadcast - A host sent a message to
 * every room (the main room and each breakout room); the user is told it too.
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
 * @csspart elapsed - How long the meeting has been running (`12:34`, `1:02:03`), from the server's
 * start time; absent when that is unknown.
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
 * @csspart polls - The `<meeting-polls>` panel.
 * @csspart breakouts - The `<meeting-breakouts>` panel.
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

  /**
   * Where the room reads the time for the call's running clock (`Date.now` and `setInterval` by
   * default). Set from script; tests hold it still.
   */
  @property({ attribute: false }) clock: MeetingClock = systemClock;

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

  private readonly meeting = new MeetingStateController(this);
  private readonly words = {
    t: this.t.bind(this),
    errorText: this.errorText.bind(this),
  };
  /** The core's news, passed on to the page (DOM events) and to the user (live region, toasts). */
  private readonly news = new RoomNews(this, {
    ...this.words,
    emit: (name, detail) => {
      this.emit(name, detail);
    },
  });
  /** The call's view, once its chunk has arrived (see call-loader.ts). */
  private call: CallView | undefined;
  private readonly audioPlayers = new RoomAudio();
  private readonly internals = this.attachInternals();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
    preloadCallView();
    if (this.controller !== undefined && this.controller !== this.owned) this.follow(this.controller);
    else if (this.controller === undefined && this.hasUpdated) this.rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    this.teardown();
  }

  /** Shows and passes on `controller`'s meeting (or none). */
  private follow(controller: MeetingController | undefined): void {
    this.meeting.follow(controller);
    this.news.follow(controller);
    this.call?.reset();
  }

  /** Fetches the call view (if it is not here yet) and shows the call with it once it is. */
  private needCall(): void {
    if (this.call) return;
    void loadCallView().then(
      (module) => {
        this.installCall(module);
      },
      (error: unknown) => {
        console.warn(`[meeting-widget] <meeting-room> could not load the call view: ${String(error)}`);
      },
    );
  }

  private installCall({ CallView, callStyles }: CallModule): void {
    if (this.call) return;
    addStyles(this.renderRoot, callStyles);
    this.call = new CallView(this, this.words);
    this.requestUpdate();
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
    this.follow(controller);
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
    this.audioPlayers.clear();
    this.follow(undefined);
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
      this.follow(external);
    }
    if (changed.has('meetingId') || changed.has('server') || changed.has('auth')) this.rebuild();
    // Joining: the call's view is needed soon, if the idle page has not fetched it yet.
    const phase = this.meeting.value?.phase;
    if (phase !== undefined && phase !== 'idle' && phase !== 'lobby') this.needCall();
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

  private readonly rejoin = (): void => {
    const displayName = this.controller?.state.displayName ?? this.displayName.trim();
    void this.controller?.join({ displayName }).catch(() => undefined);
  };

  private readonly cancelWaiting = (): void => {
    void this.controller?.leave();
  };

  protected override updated(): void {
    this.audioPlayers.sync(this.renderRoot.querySelector('.audio'), this.controller, this.meeting.value);
  }

  /** Why the user is out: their own leaving, or the reason the core gave, in the widget's words. */
  private leftText(state: MeetingState): string {
    const reason = state.reason;
    return reason === undefined || reason.code === 'LEFT' ? this.t('room.left') : this.errorText(reason);
  }

  protected override render() {
    const state = this.meeting.value;
    const inCall = state?.phase === 'connected' || state?.phase === 'reconnecting';
    this.setState('in-call', inCall);
    this.setState('panel-open', inCall && (this.call?.openPanel(state) ?? null) !== null);
    switch (state?.phase) {
      case 'waiting':
        return statusScreen(this.t('room.waiting'), { label: this.t('room.cancel'), run: this.cancelWaiting }, 'wait');
      case 'connected':
      case 'reconnecting':
        if (this.call) return this.call.render(state, this.news);
        this.needCall();
        return statusScreen(this.t('room.connecting'), undefined, 'wait');
      case 'left':
        return statusScreen(this.leftText(state), { label: this.t('room.rejoin'), run: this.rejoin });
      case 'ended':
        return statusScreen(this.t('room.ended'));
      case 'denied':
        return statusScreen(this.t('room.denied'));
      default:
        return lobbyScreen(this.meetingId.trim(), this.displayName, this.controller);
    }
  }

  private setState(name: string, on: boolean): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    if (on) states.add(name);
    else states.delete(name);
  }
}
