import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingControlsStyles = [
  tokens,
  css`
    :host {
      display: block;
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

    .count {
      margin-left: 4px;
      padding: 0 6px;
      border-radius: 999px;
      background: var(--_danger);
      color: #fff;
      font-size: 0.75em;
    }
  `,
];
