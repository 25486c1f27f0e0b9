import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

/**
 * The room's box, the lobby's frame and the status screens; palette, type, buttons and focus rings
 * come from the shared tokens. The call's own layout is in call.styles.ts, which arrives with it.
 */
export const meetingRoomStyles = [
  tokens,
  css`
    /* The room takes the box the page gives it and never grows past it: everything inside is laid
       out in that box, and only panels scroll. */
    :host {
      display: block;
      position: relative;
      height: 100%;
      min-height: var(--meeting-min-height, 480px);
      overflow: hidden;
      container-type: size;
      container-name: room;
      background: var(--_bg);
    }

    .base,
    .call {
      position: absolute;
      inset: 0;
    }

    .base {
      display: grid;
      place-items: center;
      padding: var(--_space);
      overflow: auto;
    }

    .status {
      display: grid;
      gap: var(--_space);
      justify-items: center;
      max-width: 440px;
      padding: calc(var(--_space) * 2);
      border-radius: var(--_radius);
      background: var(--_surface);
      text-align: center;
    }

    .status p {
      margin: 0;
      font-size: 1.125em;
    }

    .status button {
      border-radius: 999px;
      padding: 10px 24px;
    }

    .spinner {
      display: inline-block;
      width: 32px;
      height: 32px;
      border: 3px solid color-mix(in srgb, var(--_accent) 25%, transparent);
      border-top-color: var(--_accent);
      border-radius: 50%;
    }

    @media (prefers-reduced-motion: no-preference) {
      .spinner {
        animation: spin 1s linear infinite;
      }
    }

    @keyframes spin {
      to {
        rotate: 1turn;
      }
    }

    button.secondary {
      color: var(--_accent);
      background: transparent;
      border: 1px solid var(--_line);
    }

    button.text {
      min-height: 36px;
      padding: 6px 12px;
      color: var(--_accent);
      background: transparent;
    }
  `,
];
