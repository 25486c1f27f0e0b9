import { consume } from '@lit/context';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import type { PanelName } from '../meeting-room/panels.js';
import { menuKeys } from '../../internal/menu-keys.js';
import { barActions, DEVICE_MENUS, type Action, type DeviceMenu } from './bar-actions.js';
import { barButton, deviceChevron, leaveControl, moreMenu, reactionsRow, type DeviceMenuView } from './bar-templates.js';
import { BAR, fitBar, type BarItem } from './bar-fit.js';
import { meetingControlsStyles } from './meeting-controls.styles.js';

export interface MeetingLeaveRequestDetail {
  /** True when the host chose to end the meeting for everyone. */
  endForAll: boolean;
}

export interface MeetingPanelToggleDetail {
  /** The panel whose button was pressed. */
  panel: PanelName;
  /** Whether it is to open (true) or close. */
  open: boolean;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-leave-request': MeetingLeaveRequestDetail;
    'meeting-panel-toggle': MeetingPanelToggleDetail;
  }
}

/**
 * @tagname meeting-controls
 * @summary The call's control bar: one row of icon buttons at every width. Microphone and camera
 * (with their device menus), screen share, reactions, hand, chat, people, layout, settings and
 * recording; what does not fit moves into a "More" menu, least used first, so the bar never wraps.
 * Leave is the red button; hosts get "End meeting for everyone" from its menu. Buttons a
 * participant may not use are not shown.
 *
 * @fires {CustomEvent<MeetingLeaveRequestDetail>} meeting-leave-request - Leave (or end) was chosen.
 * Cancelable: `preventDefault()` keeps the user in the meeting, e.g. to confirm first.
 * @fires {CustomEvent<MeetingPanelToggleDetail>} meeting-panel-toggle - A panel's button (chat, people, settings) was pressed.
 *
 * @csspart base - The bar.
 * @csspart microphone - Microphone toggle.
 * @csspart camera - Camera toggle.
 * @csspart device-menu-microphone - Opens the list of microphones (the chevron).
 * @csspart device-menu-camera - Opens the list of cameras (the chevron).
 * @csspart device-menu - The open list of devices.
 * @csspart device - Each device in it.
 * @csspart screen-share - Screen-share toggle.
 * @csspart hand - Raise/lower hand.
 * @csspart chat - Chat panel toggle.
 * @csspart people - Participants panel toggle.
 * @csspart record - Start/stop recording (hosts and co-hosts, when the policy allows recording).
 * @csspart settings - Settings panel toggle (devices, mirror).
 * @csspart layout - Grid / speaker view switch.
 * @csspart react - Opens the reactions.
 * @csspart reactions - The row of reaction buttons.
 * @csspart reaction - Each reaction button.
 * @csspart more - The "More" button, shown when some actions do not fit in the bar.
 * @csspart more-menu - The menu of the actions that did not fit.
 * @csspart menu-item - Each item of the "More" and leave menus.
 * @csspart tooltip - The tooltip of each bar button.
 * @csspart badge - A count on a button (unread messages, people waiting).
 * @csspart leave - Leave button.
 * @csspart leave-menu - The chevron beside leave (hosts), which opens the leave menu.
 * @csspart leave-options - The leave menu: leave, or end for everyone.
 * @csspart end - End-for-everyone item (hosts).
 * @csspart confirm - The "end for everyone?" confirmation.
 * @csspart confirm-end - Its button that ends the meeting.
 * @csspart confirm-cancel - Its button that goes back.
 *
 * @slot - Extra buttons of the host page, placed before leave.
 *
 * @cssprop [--meeting-control-size=48px] - Size of the round buttons of the bar.
 * @cssprop [--meeting-control-off-color=#ea4335] - Background of a microphone or camera that is off.
 * @cssprop [--meeting-leave-color=#ea4335] - Background of the leave button.
 *
 * Custom states for styling from outside: `meeting-controls:state(muted)`, `:state(camera-off)`,
 * `:state(sharing)`, `:state(hand-raised)`, `:state(recording)`, `:state(overflowing)` (some actions
 * are in the "More" menu).
 */
export class MeetingControls extends MeetingElement {
  static override styles = meetingControlsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /**
   * The side panel open now (`people`, `settings`, …; the room sets it), for its button's pressed
   * state. Chat's open state comes from the meeting itself.
   */
  @property() panel: PanelName | '' = '';

  private readonly meeting = new MeetingStateController(this);
  @state() private reactionsOpen = false;
  /** Which device menu is open, if any. */
  @state() private deviceMenu: DeviceMenu | null = null;
  @state() private menu: 'more' | 'leave' | null = null;
  @state() private confirmingEnd = false;
  @state() private width = 0;
  @state() private extraWidth = 0;

  private readonly internals = this.attachInternals();
  private readonly resize = new ResizeObserver(() => {
    this.measure();
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  /** The bar's width, and the room the page's own buttons take in it. */
  private measure(): void {
    const width = this.getBoundingClientRect().width;
    const slot = this.renderRoot.querySelector('slot');
    const assigned = slot?.assignedElements({ flatten: true }) ?? [];
    const extra = assigned.reduce((sum, el) => sum + el.getBoundingClientRect().width, 0) + Math.max(0, assigned.length - 1) * BAR.gap;
    if (Math.abs(width - this.width) >= 1) this.width = width;
    if (Math.abs(extra - this.extraWidth) >= 1) this.extraWidth = extra;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
    // Custom states, so a page can restyle the whole bar: meeting-controls:state(muted) { ... }
    const s = this.meeting.value;
    this.setStates({
      muted: s !== undefined && !s.local.microphone.enabled,
      'camera-off': s !== undefined && !s.local.camera.enabled,
      sharing: s?.local.screenShare.enabled === true,
      'hand-raised': s?.participants.some((p) => p.isLocal && p.handRaised) === true,
      recording: s?.recording.active === true,
    });
  }

  private setStates(on: Record<string, boolean>): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    for (const [name, active] of Object.entries(on)) {
      if (active) states.add(name);
      else states.delete(name);
    }
  }

  /** Runs an action; its failure is already in the meeting state, where the room shows it. */
  private run(action: (() => Promise<void>) | undefined): void {
    void action?.().catch(() => undefined);
  }

  private focusPart(part: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[part~="${part}"]`)?.focus());
  }

  private readonly leave = (): void => {
    this.closeMenu(false);
    if (this.emit('meeting-leave-request', { endForAll: false }, { cancelable: true })) this.run(() => this.controller?.leave() ?? Promise.resolve());
  };

  /** Ending a meeting for everyone cannot be undone: it takes a second, explicit click. */
  private readonly end = (): void => {
    this.closeMenu(false);
    this.confirmingEnd = true;
    this.focusPart('confirm-cancel');
  };

  private readonly confirmEnd = (): void => {
    this.confirmingEnd = false;
    if (this.emit('meeting-leave-request', { endForAll: true }, { cancelable: true })) this.run(() => this.controller?.end() ?? Promise.resolve());
  };

  private readonly cancelEnd = (): void => {
    this.confirmingEnd = false;
    this.focusPart('leave-menu');
  };

  private readonly onConfirmKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.cancelEnd();
  };

  // ---- device menus ----

  private toggleDeviceMenu(kind: DeviceMenu): void {
    this.menu = null;
    this.deviceMenu = this.deviceMenu === kind ? null : kind;
    if (this.deviceMenu !== null) {
      this.watchOutside();
      // Focus goes to the device in use, as menus do.
      void this.updateComplete.then(() => (this.renderRoot.querySelector<HTMLElement>('[part~="device"][aria-checked="true"]') ?? this.renderRoot.querySelector<HTMLElement>('[part~="device"]'))?.focus());
    }
  }

  private chooseDevice(kind: DeviceMenu, deviceId: string): void {
    this.closeDeviceMenu();
    this.run(() => this.controller?.selectDevice(kind, deviceId) ?? Promise.resolve());
  }

  private closeDeviceMenu(): void {
    const kind = this.deviceMenu;
    this.deviceMenu = null;
    if (kind !== null) this.focusPart(`device-menu-${DEVICE_MENUS[kind].part}`);
  }

  private readonly onDeviceMenuKey = (event: KeyboardEvent): void => {
    menuKeys(event, this.shadowRoot?.activeElement, [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="device"]')], () => {
      this.closeDeviceMenu();
    });
  };

  // ---- the More and leave menus ----

  private openMenu(which: 'more' | 'leave'): void {
    this.deviceMenu = null;
    this.reactionsOpen = false;
    this.menu = this.menu === which ? null : which;
    if (this.menu === null) return;
    this.watchOutside();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-menu="${which}"] [role^="menuitem"]`)?.focus());
  }

  private closeMenu(refocus = true): void {
    const which = this.menu;
    this.menu = null;
    if (refocus && which !== null) this.focusPart(which === 'more' ? 'more' : 'leave-menu');
  }

  private readonly onMenuKey = (event: KeyboardEvent): void => {
    const which = this.menu;
    if (which === null) return;
    menuKeys(event, this.shadowRoot?.activeElement, [...this.renderRoot.querySelectorAll<HTMLElement>(`[data-menu="${which}"] [role^="menuitem"]`)], () => {
      this.closeMenu();
    });
  };

  /** A click anywhere else closes whatever menu is open, as menus do. */
  private watchOutside(): void {
    document.addEventListener('pointerdown', this.onOutside, true);
  }

  private readonly onOutside = (event: Event): void => {
    if (event.composedPath().includes(this)) return;
    document.removeEventListener('pointerdown', this.onOutside, true);
    this.menu = null;
    this.deviceMenu = null;
    this.reactionsOpen = false;
  };

  // ---- actions ----

  private readonly toggleLayout = (): void => {
    this.controller?.setLayout(this.meeting.value?.layout === 'speaker' ? 'grid' : 'speaker');
  };

  private readonly toggleReactions = (): void => {
    this.menu = null;
    this.reactionsOpen = !this.reactionsOpen;
    if (this.reactionsOpen) {
      this.watchOutside();
      this.focusPart('reaction');
    }
  };

  private react(emoji: string): void {
    this.reactionsOpen = false;
    this.run(() => this.controller?.react(emoji) ?? Promise.resolve());
  }

  private readonly onReactionsKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    this.reactionsOpen = false;
    this.focusPart('react');
  };

  /** Asks the room to open or close a panel; chat's open state is the meeting's, so it is set here too. */
  private togglePanel(panel: PanelName): void {
    const chat = panel === 'chat';
    const open = chat ? !(this.meeting.value?.chat.open ?? false) : this.panel !== panel;
    if (chat) this.controller?.setChatOpen(open);
    this.emit('meeting-panel-toggle', { panel, open });
  }

  /** Everything the bar can offer this participant now, in bar order. */
  private actions(s: MeetingState, c: MeetingController): Action[] {
    return barActions(s, c, {
      t: (key, params) => this.t(key, params),
      panel: this.panel,
      run: (action) => {
        this.run(action);
      },
      togglePanel: (panel) => {
        this.togglePanel(panel);
      },
      toggleLayout: this.toggleLayout,
      toggleReactions: this.toggleReactions,
    });
  }

  private deviceMenuView(kind: DeviceMenu): DeviceMenuView {
    return {
      kind,
      open: this.deviceMenu === kind,
      toggle: () => {
        this.toggleDeviceMenu(kind);
      },
      choose: (deviceId) => {
        this.chooseDevice(kind, deviceId);
      },
      onKey: this.onDeviceMenuKey,
    };
  }

  private renderButton(a: Action): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.t(key, params);
    return barButton(a, this.reactionsOpen, a.devices === undefined ? nothing : deviceChevron(this.meeting.value, t, this.deviceMenuView(a.devices)));
  }

  protected override render() {
    const s = this.meeting.value;
    const c = this.controller;
    if (!s || !c) return nothing;
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.t(key, params);
    const actions = this.actions(s, c);
    const items: BarItem[] = actions.map((a) => ({ id: a.id, width: a.devices ? BAR.split : BAR.button, keep: a.keep }));
    items.push({ id: 'leave', width: s.abilities.endMeeting ? BAR.leaveSplit : BAR.leave, keep: Infinity });
    // Before the first measurement everything is shown; the observer corrects it before paint.
    const inBar = this.width > 0 ? fitBar(items, this.width, this.extraWidth) : new Set(items.map((i) => i.id));
    const overflow = actions.filter((a) => !inBar.has(a.id));
    this.setStates({ overflowing: overflow.length > 0 });
    const closeMore = () => {
      this.menu = null;
    };
    return html`
      <div class="base" part="base" role="toolbar" aria-label=${this.t('controls.label')}>
        ${actions.filter((a) => inBar.has(a.id)).map((a) => this.renderButton(a))}
        <slot @slotchange=${() => this.measure()}></slot>
        ${overflow.length > 0 ? moreMenu(t, overflow, this.menu === 'more', () => this.openMenu('more'), closeMore, this.onMenuKey) : nothing}
        ${leaveControl(t, { host: s.abilities.endMeeting, menuOpen: this.menu === 'leave', leave: this.leave, end: this.end, openMenu: () => this.openMenu('leave'), onMenuKey: this.onMenuKey })}
        ${this.reactionsOpen ? reactionsRow(t, (emoji) => this.react(emoji), this.onReactionsKey) : nothing}
      </div>
      ${this.confirmingEnd
        ? html`<div class="confirm" part="confirm" role="alertdialog" aria-labelledby="confirm-text" @keydown=${this.onConfirmKey}>
            <p id="confirm-text">${this.t('controls.confirmEnd')}</p>
            <button part="confirm-cancel" class="secondary" @click=${this.cancelEnd}>${this.t('controls.cancel')}</button>
            <button part="confirm-end" class="danger" @click=${this.confirmEnd}>${this.t('controls.end')}</button>
          </div>`
        : nothing}
    `;
  }
}
