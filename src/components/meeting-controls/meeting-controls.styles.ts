import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingControlsStyles = [
  tokens,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }

    /* Phones: smaller buttons, so the bar takes fewer rows of the screen. */
    @container (max-width: 560px) {
      .base {
        gap: 6px;
        padding: 6px;
      }
      button {
        min-height: 44px;
        padding: 8px 10px;
        font-size: 0.875em;
      }
    }

    .base {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 8px;
      padding: 8px;
    }

    button {
      min-width: 44px;
      padding: 10px 14px;
      color: var(--_fg);
      background: var(--_surface);
    }

    button[aria-pressed='true'] {
      color: var(--_on-accent);
      background: var(--_accent);
    }

    button.off {
      color: #fff;
      background: var(--_danger);
    }

    button.leave {
      color: #fff;
      background: var(--_danger);
    }

    .recording {
      display: inline-flex;
      gap: 6px;
      align-items: center;
      padding: 0 8px;
      color: var(--_danger);
      font-weight: 600;
    }

    .menu-anchor,
    .reactions-anchor {
      position: relative;
      display: inline-flex;
    }

    .menu-anchor {
      margin-inline-start: -6px;
    }

    /* The device menus and the reactions open above the bar, in the same kind of card. */
    .menu,
    .reactions {
      position: absolute;
      bottom: calc(100% + 6px);
      padding: 4px;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
      z-index: 1;
    }

    button.chevron {
      min-width: 32px;
      padding: 10px 6px;
    }

    .menu {
      inset-inline-start: 0;
      display: grid;
      min-width: 220px;
    }

    .menu button {
      text-align: start;
      background: transparent;
      font-weight: 500;
    }

    .menu button[aria-checked='true'] {
      color: var(--_on-accent);
      background: var(--_accent);
    }

    .reactions {
      inset-inline-start: 50%;
      translate: -50% 0;
      display: flex;
      gap: 4px;
    }

    .reactions button {
      min-width: 44px;
      padding: 6px;
      font-size: 1.25em;
    }

    .confirm {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      justify-content: center;
      padding: 8px;
      border-top: 1px solid var(--_surface);
    }

    .confirm p {
      margin: 0;
      flex-basis: 100%;
      text-align: center;
      font-weight: 600;
    }

    .count {
      margin-inline-start: 4px;
      padding: 0 6px;
      border-radius: 999px;
      background: var(--_danger);
      color: #fff;
      font-size: 0.75em;
    }
  `,
];
