import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

// The widths here are the ones bar-fit.ts counts with (BAR): keep the two in step.
export const meetingControlsStyles = [
  tokens,
  css`
    :host {
      --_size: var(--meeting-control-size, 48px);
      --_off: var(--meeting-control-off-color, #ea4335);
      --_leave: var(--meeting-leave-color, #ea4335);
      display: block;
      position: relative;
    }

    .base {
      display: flex;
      flex-wrap: nowrap;
      justify-content: center;
      align-items: center;
      gap: 8px;
      padding: 12px;
      min-width: 0;
    }

    button {
      position: relative;
      display: inline-grid;
      place-items: center;
      min-height: 0;
      padding: 0;
      color: var(--_fg);
      background: var(--_surface);
      font-weight: 500;
    }

    .control {
      flex: none;
      width: var(--_size);
      height: var(--_size);
      border-radius: 50%;
    }

    .control.on {
      color: var(--_on-accent);
      background: var(--_accent);
    }

    .control.off {
      color: #fff;
      background: var(--_off);
    }

    /* Microphone and camera: the device chevron and the toggle in one pill. */
    .split {
      flex: none;
      display: inline-flex;
      align-items: center;
      width: 84px;
      height: var(--_size);
      border-radius: 999px;
      background: var(--_surface);
    }

    .split .control {
      width: var(--_size);
    }

    .split .chevron {
      width: 36px;
      height: var(--_size);
      padding-inline-start: 4px;
      border-radius: 999px 0 0 999px;
      background: transparent;
    }

    :host(:dir(rtl)) .split .chevron {
      border-radius: 0 999px 999px 0;
    }

    .chevron .icon {
      width: 20px;
      height: 20px;
    }

    .split.off .chevron {
      color: var(--_fg);
    }

    .leave {
      flex: none;
      width: 64px;
      height: var(--_size);
      border-radius: 999px;
      color: #fff;
      background: var(--_leave);
    }

    .leave-split {
      width: 100px;
      background: var(--_leave);
    }

    .leave-split > .leave {
      border-radius: 999px 0 0 999px;
    }

    .leave-split > .chevron.leave {
      width: 36px;
      border-radius: 0 999px 999px 0;
      border-inline-start: 1px solid rgb(0 0 0 / 0.25);
      padding: 0;
    }

    :host(:dir(rtl)) .leave-split > .leave {
      border-radius: 0 999px 999px 0;
    }

    :host(:dir(rtl)) .leave-split > .chevron.leave {
      border-radius: 999px 0 0 999px;
    }

    .badge {
      position: absolute;
      top: -2px;
      inset-inline-end: -2px;
      min-width: 20px;
      height: 20px;
      padding: 0 5px;
      border-radius: 999px;
      background: var(--_accent);
      color: var(--_on-accent);
      font-size: 12px;
      font-weight: 700;
      line-height: 20px;
    }

    /* Tooltips: above the button on hover and on keyboard focus. The name is the aria-label. */
    .tip {
      position: absolute;
      bottom: calc(100% + 10px);
      left: 50%;
      translate: -50% 0;
      padding: 4px 8px;
      border-radius: 4px;
      background: #e8eaed;
      color: #202124;
      font-size: 12px;
      font-weight: 500;
      white-space: nowrap;
      pointer-events: none;
      opacity: 0;
      visibility: hidden;
      z-index: 3;
    }

    button:hover > .tip,
    button:focus-visible > .tip {
      opacity: 1;
      visibility: visible;
    }

    @media (prefers-reduced-motion: no-preference) {
      .tip {
        transition: opacity 120ms ease-out 300ms;
      }
    }

    @media (hover: none) {
      .tip {
        display: none;
      }
    }

    .menu-anchor {
      position: relative;
      display: inline-flex;
      flex: none;
    }

    /* The device menus, More and leave menus and the reactions open above the bar, in one kind of card. */
    .menu,
    .reactions {
      position: absolute;
      bottom: calc(100% + 8px);
      padding: 6px;
      border-radius: 12px;
      color: var(--_fg);
      background: var(--_bg);
      box-shadow:
        0 1px 3px rgb(0 0 0 / 0.3),
        0 4px 16px rgb(0 0 0 / 0.35);
      z-index: 4;
    }

    .menu[hidden] {
      display: none;
    }

    .menu {
      inset-inline-start: 0;
      display: grid;
      min-width: 240px;
      max-height: min(60vh, 420px);
      overflow-y: auto;
    }

    .more-menu,
    .end-menu {
      inset-inline-start: auto;
      inset-inline-end: 0;
    }

    .menu button {
      display: flex;
      gap: 12px;
      align-items: center;
      justify-content: flex-start;
      min-height: 44px;
      padding: 8px 12px;
      border-radius: 8px;
      text-align: start;
      background: transparent;
      white-space: nowrap;
    }

    .menu button:hover,
    .menu button:focus-visible {
      background: var(--_surface);
    }

    .menu button[aria-checked='true'] {
      color: var(--_accent);
    }

    .menu button.danger {
      color: var(--_danger);
    }

    .menu .badge {
      position: static;
      margin-inline-start: auto;
    }

    .reactions {
      left: 50%;
      translate: -50% 0;
      display: flex;
      gap: 4px;
      border-radius: 999px;
    }

    .reactions button {
      width: 48px;
      height: 48px;
      border-radius: 50%;
      background: transparent;
    }

    .reactions button:hover,
    .reactions button:focus-visible {
      background: var(--_surface);
    }

    .reactions .icon {
      width: 30px;
      height: 30px;
    }

    @media (prefers-reduced-motion: no-preference) {
      .reactions button:hover .icon {
        transform: scale(1.15);
        transition: transform 120ms ease-out;
      }
    }

    .reaction-thumbs { fill: #fdd663; }
    .reaction-clap { fill: #fcad70; }
    .reaction-laugh { fill: #fdd663; }
    .reaction-heart { fill: #f28b82; }
    .reaction-party { fill: #c58af9; }
    .reaction-wow { fill: #fdd663; }

    .confirm {
      position: absolute;
      bottom: calc(100% + 8px);
      inset-inline-end: 12px;
      display: grid;
      grid-template-columns: auto auto;
      gap: 8px;
      justify-content: end;
      max-width: min(360px, calc(100% - 24px));
      padding: 16px;
      border-radius: 12px;
      color: var(--_fg);
      background: var(--_bg);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.35);
      z-index: 5;
    }

    .confirm p {
      grid-column: 1 / -1;
      margin: 0 0 8px;
      font-weight: 600;
    }

    .confirm button {
      min-height: 40px;
      padding: 8px 16px;
      border-radius: 999px;
    }

    .confirm .secondary {
      color: var(--_accent);
      background: transparent;
    }

    .confirm .danger {
      color: #fff;
      background: var(--_leave);
    }

    ::slotted(*) {
      flex: none;
    }
  `,
];
