import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { meetingControlsStyles } from './meeting-controls.styles.js';

export interface MeetingLeaveRequestDetail {
  /** True when the host chose to end the meeting for everyone. */
  endForAll: boolean;
}

export interface MeetingPanelToggleDetail {
  panel: 'chat' | 'people' | 'settings';
  open: boolean;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-leave-request': MeetingLeaveRequestDetail;
    'meeting-panel-toggle': MeetingPanelToggleDetail;
  }
}

/** Per device menu: the part name of its button, and its label. */
const DEVICE_MENUS = {
  audioinput: { part: 'microphone', label: 'controls.microphones' },
  videoinput: { part: 'camera', label: 'controls.cameras' },
} as const;

/**
 * @tagname meeting-controls
 * @summary The call's control bar: microphone, camera, screen share, hand, chat, leave and end.
 * Buttons a participant may not use are not shown.
 *
 * @fires {CustomEvent<MeetingLeaveRequestDetail>} meeting-leave-request - Leave (or end) was chosen.
 * Cancelable: `preventDefault()` keeps the user in the meeting, e.g. to confirm first.
 * @fires {CustomEvent<MeetingPanelToggleDetail>} meeting-panel-toggle - The chat, people or settings button was pressed.
 *
 * @csspart base - The bar.
 * @csspart microphone - Microphone toggle.
 * @csspart camera - Camera toggle.
 * @csspart device-menu-microphone - Opens the list of microphones.
 * @csspart device-menu-camera - Opens the list of cameras.
 * @csspart device-menu - The open list of devices.
 * @csspart device - Each device in it.
 * @csspart screen-share - Screen-share toggle.
 * @csspart hand - Raise/lower hand.
 * @csspart chat - Chat panel toggle.
 * @csspart people - Participants panel toggle.
 * @csspart record - Start/stop recording (hosts and co-hosts, when the policy allows recording).
 * @csspart recording - The "recording" indicator everyone sees while the meeting is recorded.
 * @csspart settings - Settings panel toggle (devices, mirror).
 * @csspart layout - Grid / speaker view switch.
 * @csspart react - Opens the reactions.
 * @csspart reactions - The row of reaction buttons.
 * @csspart reaction - Each reaction button.
 * @csspart leave - Leave button.
 * @csspart end - End-for-everyone button (hosts).
 * @csspart confirm - The "end for everyone?" confirmation.
 * @csspart confirm-end - Its button that ends the meeting.
 * @csspart confirm-cancel - Its button that goes back.
 *
 * @slot - Extra buttons of the host page, placed before leave.
 *
 * Custom states for styling from outside: `meeting-controls:state(muted)`, `:state(camera-off)`,
 * `:state(sharing)`, `:state(hand-raised)`, `:state(recording)`.
 */
export class MeetingControls extends MeetingElement {
  static override styles = meetingControlsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /** Whether the participants panel is open (the room sets it), for the button's pressed state. */
  @property({ type: Boolean, attribute: 'people-open' }) peopleOpen = false;

  /** Whether the settings panel is open (the room sets it), for the button's pressed state. */
  @property({ type: Boolean, attribute: 'settings-open' }) settingsOpen = false;

  private readonly meeting = new MeetingStateController(this);
  @state() private reactionsOpen = false;
  /** Which device menu is open, if any. */
  @state() private deviceMenu: 'audioinput' | 'videoinput' | null = null;
  @state() private confirmingEnd = false;

  private readonly internals = this.attachInternals();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
    // Custom states, so a page can restyle the whole bar: meeting-controls:state(muted) { ... }
    const s = this.meeting.value;
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    const on = {
      muted: s !== undefined && !s.local.microphone.enabled,
      'camera-off': s !== undefined && !s.local.camera.enabled,
      sharing: s?.local.screenShare.enabled === true,
      'hand-raised': s?.participants.some((p) => p.isLocal && p.handRaised) === true,
      recording: s?.recording.active === true,
    };
    for (const [name, active] of Object.entries(on)) {
      if (active) states.add(name);
      else states.delete(name);
    }
  }

  /** Runs an action; its failure is already in the meeting state, where the room shows it. */
  private run(action: (() => Promise<void>) | undefined): void {
    void action?.().catch(() => undefined);
  }

  private readonly leave = (): void => {
    if (this.emit('meeting-leave-request', { endForAll: false }, { cancelable: true })) this.run(() => this.controller?.leave() ?? Promise.resolve());
  };

  /** Ending a meeting for everyone cannot be undone: it takes a second, explicit click. */
  private readonly end = (): void => {
    this.confirmingEnd = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[part~="confirm-cancel"]')?.focus());
  };

  private readonly confirmEnd = (): void => {
    this.confirmingEnd = false;
    if (this.emit('meeting-leave-request', { endForAll: true }, { cancelable: true })) this.run(() => this.controller?.end() ?? Promise.resolve());
  };

  private readonly cancelEnd = (): void => {
    this.confirmingEnd = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[part~="end"]')?.focus());
  };

  private readonly onConfirmKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.cancelEnd();
  };

  private toggleDeviceMenu(kind: 'audioinput' | 'videoinput'): void {
    this.deviceMenu = this.deviceMenu === kind ? null : kind;
    if (this.deviceMenu !== null) {
      // Focus goes to the device in use, as menus do.
      void this.updateComplete.then(() => (this.renderRoot.querySelector<HTMLElement>('[part~="device"][aria-checked="true"]') ?? this.renderRoot.querySelector<HTMLElement>('[part~="device"]'))?.focus());
    }
  }

  private chooseDevice(kind: 'audioinput' | 'videoinput', deviceId: string): void {
    this.closeDeviceMenu();
    this.run(() => this.controller?.selectDevice(kind, deviceId) ?? Promise.resolve());
  }

  private closeDeviceMenu(): void {
    const kind = this.deviceMenu;
    this.deviceMenu = null;
    if (kind !== null) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[part~="device-menu-${DEVICE_MENUS[kind].part}"]`)?.focus());
  }

  /** Up and down move through the devices, Escape closes: the keys of a menu. */
  private readonly onMenuKey = (event: KeyboardEvent): void => {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="device"]')];
    const at = items.indexOf(this.shadowRoot?.activeElement as HTMLElement);
    if (event.key === 'Escape') this.closeDeviceMenu();
    else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
    else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
  };

  private renderDeviceMenu(s: MeetingState, kind: 'audioinput' | 'videoinput') {
    const devices = s.local.devices[kind];
    if (devices.length === 0) return nothing;
    const open = this.deviceMenu === kind;
    const selected = s.local.selected[kind] ?? devices[0]?.deviceId;
    const label = this.t(DEVICE_MENUS[kind].label);
    return html`<span class="menu-anchor">
      <button part=${`device-menu-${DEVICE_MENUS[kind].part}`} class="chevron" aria-haspopup="menu" aria-expanded=${String(open)} aria-label=${label} title=${label} @click=${() => this.toggleDeviceMenu(kind)}>
        <span aria-hidden="true">▾</span>
      </button>
      ${open
        ? html`<span class="menu" part="device-menu" role="menu" aria-label=${label} @keydown=${this.onMenuKey}>
            ${devices.map(
              (d, i) =>
                html`<button part="device" role="menuitemradio" aria-checked=${String(d.deviceId === selected)} @click=${() => this.chooseDevice(kind, d.deviceId)}>
                  ${d.label || `${label} ${String(i + 1)}`}
                </button>`,
            )}
          </span>`
        : nothing}
    </span>`;
  }

  private readonly toggleLayout = (): void => {
    this.controller?.setLayout(this.meeting.value?.layout === 'speaker' ? 'grid' : 'speaker');
  };

  private readonly toggleReactions = (): void => {
    this.reactionsOpen = !this.reactionsOpen;
  };

  private react(emoji: string): void {
    this.reactionsOpen = false;
    this.run(() => this.controller?.react(emoji) ?? Promise.resolve());
  }

  private readonly toggleChat = (): void => {
    const open = !(this.meeting.value?.chat.open ?? false);
    this.controller?.setChatOpen(open);
    this.emit('meeting-panel-toggle', { panel: 'chat', open });
  };

  private readonly togglePeople = (): void => {
    this.emit('meeting-panel-toggle', { panel: 'people', open: !this.peopleOpen });
  };

  private readonly toggleSettings = (): void => {
    this.emit('meeting-panel-toggle', { panel: 'settings', open: !this.settingsOpen });
  };

  protected override render() {
    const s = this.meeting.value;
    const c = this.controller;
    if (!s || !c) return nothing;
    const mine = s.participants.find((p) => p.isLocal);
    const hand = mine?.handRaised ?? false;
    return html`
      <div class="base" part="base" role="toolbar" aria-label=${this.t('controls.label')}>
        ${s.abilities.publish
          ? html`
              <button part="microphone" title=${`${s.local.microphone.enabled ? this.t('controls.mute') : this.t('controls.unmute')} (${shortcut('D')})`} class=${s.local.microphone.enabled ? '' : 'off'} aria-pressed=${String(s.local.microphone.enabled)} ?disabled=${s.local.microphone.pending} @click=${() => this.run(() => c.toggleMicrophone())}>
                ${s.local.microphone.enabled ? this.t('controls.mute') : this.t('controls.unmute')}
              </button>
              ${this.renderDeviceMenu(s, 'audioinput')}
              <button part="camera" title=${`${s.local.camera.enabled ? this.t('controls.stopVideo') : this.t('controls.startVideo')} (${shortcut('E')})`} class=${s.local.camera.enabled ? '' : 'off'} aria-pressed=${String(s.local.camera.enabled)} ?disabled=${s.local.camera.pending} @click=${() => this.run(() => c.toggleCamera())}>
                ${s.local.camera.enabled ? this.t('controls.stopVideo') : this.t('controls.startVideo')}
              </button>
              ${this.renderDeviceMenu(s, 'videoinput')}
            `
          : nothing}
        ${s.abilities.screenShare
          ? html`<button part="screen-share" aria-pressed=${String(s.local.screenShare.enabled)} ?disabled=${s.local.screenShare.pending} @click=${() => this.run(() => c.toggleScreenShare())}>
              ${s.local.screenShare.enabled ? this.t('controls.stopShare') : this.t('controls.share')}
            </button>`
          : nothing}
        <button part="hand" aria-pressed=${String(hand)} @click=${() => this.run(() => (hand ? c.lowerHand() : c.raiseHand()))}>${hand ? this.t('controls.lowerHand') : this.t('controls.raiseHand')}</button>
        <button part="chat" aria-pressed=${String(s.chat.open)} @click=${this.toggleChat}>
          ${this.t('controls.chat')}${s.chat.unread > 0 ? html`<span class="count" aria-label=${this.t('controls.unread', { count: s.chat.unread })}>${s.chat.unread}</span>` : nothing}
        </button>
        <button part="people" aria-pressed=${String(this.peopleOpen)} @click=${this.togglePeople}>
          ${this.t('controls.people')}${s.abilities.moderate && s.waiting.length > 0 ? html`<span class="count">${s.waiting.length}</span>` : nothing}
        </button>
        ${s.abilities.record
          ? html`<button part="record" aria-pressed=${String(s.recording.active)} ?disabled=${s.recording.pending} @click=${() => this.run(() => (s.recording.active ? c.stopRecording() : c.startRecording()))}>
              ${s.recording.active ? this.t('controls.stopRecording') : this.t('controls.record')}
            </button>`
          : nothing}
        ${s.recording.active ? html`<span class="recording" part="recording" role="status"><span aria-hidden="true">●</span> ${this.t('controls.recording')}</span>` : nothing}
        <button part="settings" aria-pressed=${String(this.settingsOpen)} @click=${this.toggleSettings}>${this.t('controls.settings')}</button>
        <button part="layout" aria-pressed=${String(s.layout === 'speaker')} @click=${this.toggleLayout}>${this.t(s.layout === 'speaker' ? 'controls.gridView' : 'controls.speakerView')}</button>
        <span class="reactions-anchor">
          <button part="react" aria-expanded=${String(this.reactionsOpen)} aria-controls="reactions" @click=${this.toggleReactions}>${this.t('controls.react')}</button>
          ${this.reactionsOpen
            ? html`<span id="reactions" class="reactions" part="reactions" role="group" aria-label=${this.t('controls.reactions')}>
                ${REACTIONS.map((emoji) => html`<button part="reaction" aria-label=${emoji} @click=${() => this.react(emoji)}>${emoji}</button>`)}
              </span>`
            : nothing}
        </span>
        <slot></slot>
        <button part="leave" class="leave" @click=${this.leave}>${this.t('controls.leave')}</button>
        ${s.abilities.endMeeting ? html`<button part="end" class="leave" @click=${this.end}>${this.t('controls.end')}</button>` : nothing}
      </div>
      ${this.confirmingEnd
        ? html`<div class="confirm" part="confirm" role="alertdialog" aria-labelledby="confirm-text" @keydown=${this.onConfirmKey}>
            <p id="confirm-text">${this.t('controls.confirmEnd')}</p>
            <button part="confirm-cancel" @click=${this.cancelEnd}>${this.t('controls.cancel')}</button>
            <button part="confirm-end" class="leave" @click=${this.confirmEnd}>${this.t('controls.end')}</button>
          </div>`
        : nothing}
    `;
  }
}

/** The reactions on offer: the core accepts any single emoji, the bar offers the usual few. */
const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;

/** How the keyboard shortcut reads on this platform. */
function shortcut(key: string): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? `⌘${key}` : `Ctrl+${key}`;
}
