// The call as <meeting-room> shows it: the top bar, the stage with its overlays (reconnecting,
// a failed action, the hosts' waiting list, toasts, the "you are muted" hint), the side panel and
// the control bar. It holds what only the call has: which panel is open and the closed error.
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState, PhaseReason } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import { clockText, type MeetingClock } from '../../internal/elapsed-clock.js';
import { icon } from '../../internal/icons.js';
import { MutedSpeech } from '../../internal/muted-speech.js';
import '../meeting-controls/meeting-controls.js';
import type { MeetingPanelToggleDetail } from '../meeting-controls/meeting-controls.component.js';
import '../participant-grid/participant-grid.js';
import { GRID_TILE_PARTS, type SelfView } from '../participant-grid/participant-grid.component.js';
import { PANELS, type PanelName } from './panels.js';
import type { RoomNews } from './room-news.js';
import type { Toast } from './toasts.js';

export { callStyles } from './call.styles.js';

/** The tile parts a page can style through the room, e.g. `meeting-room::part(tile-label)`. */
const GRID_PARTS = ['tile', ...GRID_TILE_PARTS, 'stage', 'filmstrip', 'self-view', 'pager'].join(', ');

export interface CallHost extends ReactiveControllerHost {
  readonly controller: MeetingController | undefined;
  readonly selfView: SelfView;
  readonly clock: MeetingClock;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface CallWords {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  errorText: (reason: Pick<PhaseReason, 'code' | 'params'>) => string;
}

export class CallView implements ReactiveController {
  /** The panel chosen in the room; chat's open state lives in the core (its unread count needs it). */
  private panel: PanelName | null = null;
  /** The last action error the user closed: it stays closed until another one comes. */
  private dismissedError: PhaseReason | undefined;
  private readonly mutedSpeech: MutedSpeech;
  /** Stops the once-a-second re-render of the running time; set only while in the call. */
  private stopTicking: (() => void) | undefined;

  constructor(
    private readonly host: CallHost,
    private readonly words: CallWords,
  ) {
    host.addController(this);
    this.mutedSpeech = new MutedSpeech(host);
  }

  /** The panel open now, if any. */
  openPanel(state: MeetingState): PanelName | null {
    if (state.chat.open) return 'chat';
    return this.panel === 'chat' ? null : this.panel;
  }

  /** A new meeting: nothing open, nothing dismissed. */
  reset(): void {
    this.panel = null;
    this.dismissedError = undefined;
  }

  hostUpdated(): void {
    const c = this.host.controller;
    const s = c?.state;
    const local = s?.participants.find((p) => p.isLocal);
    this.mutedSpeech.follow(c, s?.phase === 'connected' ? s.localIdentity : undefined, s?.local.microphone.enabled === false, local?.microphone.trackSid);
    this.tick(s !== undefined && (s.phase === 'connected' || s.phase === 'reconnecting') && startedAt(s) !== undefined);
  }

  hostDisconnected(): void {
    this.tick(false);
  }

  /** Whether the running time is being kept up to date now (hygiene tests). */
  get ticking(): boolean {
    return this.stopTicking !== undefined;
  }

  private tick(on: boolean): void {
    if (on === this.ticking) return;
    if (on) {
      this.stopTicking = this.host.clock.every(1000, () => {
        this.host.requestUpdate();
      });
    } else {
      this.stopTicking?.();
      this.stopTicking = undefined;
    }
  }

  /** One side panel at a time: opening one closes the others, chat included. */
  private readonly onPanelToggle = (event: CustomEvent<MeetingPanelToggleDetail>): void => {
    const { panel, open } = event.detail;
    this.panel = open ? panel : null;
    this.host.controller?.setChatOpen(open && panel === 'chat');
    this.host.requestUpdate();
  };

  private readonly closePanel = (): void => {
    const c = this.host.controller;
    const which = c ? this.openPanel(c.state) : this.panel;
    c?.setChatOpen(false);
    this.panel = null;
    this.host.requestUpdate();
    // Focus goes back to the button that opened the panel.
    if (which) void this.host.updateComplete.then(() => this.controlsPart(which)?.focus());
  };

  private controlsPart(name: string): HTMLElement | null | undefined {
    return this.host.renderRoot.querySelector('meeting-controls')?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  }

  private readonly onPanelKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.closePanel();
  };

  private readonly unmute = (): void => {
    void this.host.controller?.setMicrophone(true).catch(() => undefined);
  };

  private dismiss(error: PhaseReason): void {
    this.dismissedError = error;
    this.host.requestUpdate();
  }

  private renderTopBar(state: MeetingState) {
    const { t } = this.words;
    const title = state.meeting?.title ?? t('room.meeting');
    return html`<div class="topbar on-stage" part="topbar">
      <span class="title" part="title">${title}</span>
      <span class="count">${t('room.inCall', { count: state.participants.length })}</span>
      ${this.renderElapsed(state)}
      <span class="flags">
        ${state.recording.active ? html`<span class="flag recording" part="recording" role="status">${icon('record')}<span>${t('room.recordingOn')}</span></span>` : nothing}
        ${state.locked ? html`<span class="flag" part="locked">${icon('lock')}<span>${t('room.locked')}</span></span>` : nothing}
      </span>
    </div>`;
  }

  /** The meeting's running time, from the server's start; a timer is not announced as it changes. */
  private renderElapsed(state: MeetingState) {
    const since = startedAt(state);
    if (since === undefined) return nothing;
    const time = clockText(this.host.clock.now() - since);
    return html`<span class="elapsed" part="elapsed" role="timer" aria-label=${this.words.t('room.elapsed', { time })}>${time}</span>`;
  }

  private toastText(toast: Toast): string {
    const [first = '', ...rest] = toast.names;
    const key = rest.length === 0 ? (`toast.${toast.kind}` as const) : (`toast.${toast.kind}Many` as const);
    return this.words.t(key, { name: first, count: rest.length });
  }

  /** Notices in the stage's corner; the live region already reads them, so they are not a second one. */
  private renderToasts(news: RoomNews) {
    const items = news.toasts.items;
    if (items.length === 0) return nothing;
    return html`<ol class="toasts" part="toasts" aria-label=${this.words.t('room.notifications')}>
      ${items.map((toast) => html`<li class="toast ${toast.kind}" part="toast">${toast.kind === 'hand' ? icon('hand') : icon('people')}<span>${this.toastText(toast)}</span></li>`)}
    </ol>`;
  }

  private renderPanel(which: PanelName) {
    const { t } = this.words;
    const spec = PANELS[which];
    return html`<aside class="panel" part="panel" aria-label=${t(spec.label)} @keydown=${this.onPanelKey}>
      <button class="panel-close" part="panel-close" aria-label=${t('room.closePanel')} title=${t('room.closePanel')} @click=${this.closePanel}>${icon('close')}</button>
      ${spec.render(t)}
    </aside>`;
  }

  /** People asking to come in, for hosts and co-hosts, answered in the order they arrived. */
  private renderWaitingList(state: MeetingState) {
    const { t } = this.words;
    const c = this.host.controller;
    return html`
      <ul class="waiting" part="waiting" aria-label=${t('room.waitingList')}>
        ${state.waiting.map(
          (w) => html`<li>
            <span>${t('room.asksToJoin', { name: w.displayName })}</span>
            <span class="actions">
              <button part="deny" class="text" @click=${() => void c?.deny(w.waitingId).catch(() => undefined)}>${t('room.deny')}</button>
              <button part="admit" @click=${() => void c?.admit(w.waitingId).catch(() => undefined)}>${t('room.admit')}</button>
            </span>
          </li>`,
        )}
      </ul>
    `;
  }

  private renderOverlays(state: MeetingState, panel: PanelName | null) {
    const { t, errorText } = this.words;
    const error = state.lastError;
    return html`<div class="overlays">
      ${state.phase === 'reconnecting' ? html`<p class="banner reconnecting" part="reconnecting" role="status"><span class="spinner" aria-hidden="true"></span>${t('room.reconnecting')}</p>` : nothing}
      ${error && error !== this.dismissedError
        ? html`<div class="banner error" part="error" role="alert">
            <span>${errorText(error)}</span>
            <button class="text" @click=${() => this.dismiss(error)}>${t('room.dismiss')}</button>
          </div>`
        : nothing}
      ${state.abilities.moderate && state.waiting.length > 0 && panel !== 'people' ? this.renderWaitingList(state) : nothing}
    </div>`;
  }

  render(state: MeetingState, news: RoomNews) {
    const { t } = this.words;
    const panel = this.openPanel(state);
    const hint = this.mutedSpeech.speaking && !state.local.microphone.enabled;
    return html`
      <div class="call ${panel ? 'with-panel' : ''}" part="base call">
        <div class="audio" hidden></div>
        <div class="sr-only" part="announcer" role="status" aria-live="polite">${news.announcement}</div>
        ${this.renderTopBar(state)}
        <div class="middle">
          <div class="stage-area on-stage" part="stage">
            <participant-grid part="grid" exportparts=${GRID_PARTS} self-view=${this.host.selfView}></participant-grid>
            ${this.renderOverlays(state, panel)}
            ${hint
              ? html`<div class="muted-hint" part="muted-hint" role="status">${icon('micOff')}<span>${t('room.mutedHint')}</span><button class="text" @click=${this.unmute}>${t('room.unmute')}</button></div>`
              : nothing}
            ${this.renderToasts(news)}
          </div>
          ${panel ? this.renderPanel(panel) : nothing}
        </div>
        <div class="bar on-stage">
          <meeting-controls part="controls" exportparts="base: controls-base" panel=${panel ?? ''} @meeting-panel-toggle=${this.onPanelToggle}><slot name="controls-extra"></slot></meeting-controls>
        </div>
      </div>
    `;
  }
}

/** When the meeting started, by the server's clock, if the core knows it. */
function startedAt(state: MeetingState): number | undefined {
  const iso = state.meeting?.startedAt;
  if (iso === null || iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
