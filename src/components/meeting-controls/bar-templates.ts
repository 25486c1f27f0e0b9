// How the bar draws its pieces: buttons, device menus, the "More" items, the reactions row and
// leave. Plain template functions over what the component decides (which menu is open, what a
// click does), so the component keeps the state and the keyboard handling only.
import { html, nothing, type TemplateResult } from 'lit';
import type { MeetingState } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import { icon, REACTIONS } from '../../internal/icons.js';
import { DEVICE_MENUS, type Action, type DeviceMenu } from './bar-actions.js';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function badge(b: Action['badge']) {
  return b ? html`<span class="badge" part="badge" aria-hidden="true">${b.count > 99 ? '99+' : b.count}</span>` : nothing;
}

/** The accessible name: the label, and what a badge counts. */
export function nameOf(a: Action): string {
  return a.badge ? `${a.label}, ${a.badge.label}` : a.label;
}

const tooltip = (text: string) => html`<span class="tip" part="tooltip" aria-hidden="true">${text}</span>`;

/** A bar button; `chevron` is the device menu drawn beside microphone and camera. */
export function barButton(a: Action, reactionsOpen: boolean, chevron: TemplateResult | typeof nothing = nothing): TemplateResult {
  const classes = ['control', a.off ? 'off' : '', a.pressed && !a.off && a.devices === undefined ? 'on' : ''].join(' ');
  const tip = a.shortcut ? `${a.tip ?? a.label} (${a.shortcut})` : (a.tip ?? a.label);
  const button = a.expands
    ? html`<button part=${a.part} class=${classes} aria-label=${nameOf(a)} aria-expanded=${String(reactionsOpen)} aria-haspopup="true" @click=${a.run}>
        ${icon(a.icon)}${tooltip(tip)}
      </button>`
    : html`<button part=${a.part} class=${classes} aria-label=${nameOf(a)} aria-pressed=${String(a.pressed ?? false)} ?disabled=${a.disabled ?? false} @click=${a.run}>
        ${icon(a.icon)}${badge(a.badge)}${tooltip(tip)}
      </button>`;
  if (a.devices === undefined) return button;
  return html`<span class="split ${a.off ? 'off' : ''}">${chevron}${button}</span>`;
}

export interface DeviceMenuView {
  kind: DeviceMenu;
  open: boolean;
  toggle: () => void;
  choose: (deviceId: string) => void;
  onKey: (event: KeyboardEvent) => void;
}

/** The chevron beside microphone or camera, and its list of devices when open. */
export function deviceChevron(s: MeetingState | undefined, t: Translate, v: DeviceMenuView): TemplateResult {
  const label = t(DEVICE_MENUS[v.kind].label);
  const devices = s?.local.devices[v.kind] ?? [];
  const selected = s?.local.selected[v.kind] ?? devices[0]?.deviceId;
  return html`<span class="menu-anchor">
    <button part=${`device-menu-${DEVICE_MENUS[v.kind].part}`} class="chevron" aria-haspopup="menu" aria-expanded=${String(v.open)} aria-label=${label} ?disabled=${devices.length === 0} @click=${v.toggle}>
      ${icon('chevronUp')}${tooltip(label)}
    </button>
    ${v.open
      ? html`<span class="menu" part="device-menu" role="menu" aria-label=${label} @keydown=${v.onKey}>
          ${devices.map(
            (d, i) =>
              html`<button part="device" role="menuitemradio" aria-checked=${String(d.deviceId === selected)} @click=${() => v.choose(d.deviceId)}>
                ${d.deviceId === selected ? icon('check') : html`<span class="icon" aria-hidden="true"></span>`}<span>${d.label || `${label} ${String(i + 1)}`}</span>
              </button>`,
          )}
        </span>`
      : nothing}
  </span>`;
}

/** An action of the "More" menu; `close` shuts the menu before the action runs. */
export function menuItem(a: Action, close: () => void): TemplateResult {
  const run = () => {
    close();
    a.run();
  };
  if (a.expands) {
    return html`<button part=${`${a.part} menu-item`} role="menuitem" @click=${run}>${icon(a.icon)}<span>${a.label}</span></button>`;
  }
  return html`<button part=${`${a.part} menu-item`} role="menuitemcheckbox" aria-checked=${String(a.pressed ?? false)} ?disabled=${a.disabled ?? false} @click=${run}>
    ${icon(a.icon)}<span>${nameOf(a)}</span>${badge(a.badge)}
  </button>`;
}

export function reactionsRow(t: Translate, react: (emoji: string) => void, onKey: (event: KeyboardEvent) => void): TemplateResult {
  return html`<div class="reactions" part="reactions" role="group" aria-label=${t('controls.reactions')} @keydown=${onKey}>
    ${REACTIONS.map(
      (r) => html`<button part="reaction" class="reaction-${r.colour}" aria-label=${t(`reaction.${r.key}`)} title=${t(`reaction.${r.key}`)} @click=${() => react(r.emoji)}>
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${r.path}></path></svg>
      </button>`,
    )}
  </div>`;
}

export interface LeaveView {
  /** Hosts get the menu with "End for everyone". */
  host: boolean;
  menuOpen: boolean;
  leave: () => void;
  end: () => void;
  openMenu: () => void;
  onMenuKey: (event: KeyboardEvent) => void;
}

export function leaveControl(t: Translate, v: LeaveView): TemplateResult {
  const leave = html`<button part="leave" class="leave" aria-label=${t('controls.leave')} @click=${v.leave}>${icon('leave')}${tooltip(t('controls.leave'))}</button>`;
  if (!v.host) return leave;
  return html`<span class="split leave-split menu-anchor">
    ${leave}
    <button part="leave-menu" class="chevron leave" aria-haspopup="menu" aria-expanded=${String(v.menuOpen)} aria-label=${t('controls.leaveOptions')} @click=${v.openMenu}>
      ${icon('chevronUp')}${tooltip(t('controls.leaveOptions'))}
    </button>
    <span class="menu end-menu" part="leave-options" role="menu" data-menu="leave" aria-label=${t('controls.leaveOptions')} ?hidden=${!v.menuOpen} @keydown=${v.onMenuKey}>
      <button part="menu-item" role="menuitem" @click=${v.leave}>${icon('leave')}<span>${t('controls.leaveMeeting')}</span></button>
      <button part="end menu-item" class="danger" role="menuitem" @click=${v.end}>${icon('close')}<span>${t('controls.end')}</span></button>
    </span>
  </span>`;
}

export function moreMenu(t: Translate, overflow: Action[], open: boolean, toggle: () => void, close: () => void, onKey: (event: KeyboardEvent) => void): TemplateResult {
  return html`<span class="menu-anchor">
    <button part="more" class="control ${open ? 'on' : ''}" aria-label=${t('controls.more')} aria-haspopup="menu" aria-expanded=${String(open)} @click=${toggle}>
      ${icon('more')}${badge(overflow.find((a) => a.badge)?.badge)}${tooltip(t('controls.more'))}
    </button>
    <span class="menu more-menu" part="more-menu" role="menu" data-menu="more" aria-label=${t('controls.more')} ?hidden=${!open} @keydown=${onKey}>
      ${overflow.map((a) => menuItem(a, close))}
    </span>
  </span>`;
}
