import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingChatStyles = [
  tokens,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: var(--_surface);
      border-radius: var(--_radius);
    }

    h3 {
      margin: 0;
      padding: 12px 16px 0;
      font-size: 1em;
    }

    ol {
      flex: 1;
      margin: 0;
      padding: 8px 16px;
      overflow-y: auto;
      list-style: none;
      display: grid;
      align-content: start;
      gap: 8px;
    }

    .who {
      font-weight: 600;
      margin-right: 6px;
    }

    time {
      color: var(--_muted);
      font-size: 0.8em;
    }

    form {
      display: flex;
      gap: 8px;
      padding: 8px;
    }

    input {
      flex: 1;
      min-width: 0;
      min-height: 44px;
      padding: 8px 12px;
      border: 1px solid var(--_muted);
      border-radius: calc(var(--_radius) / 2);
      color: var(--_fg);
      background: var(--_bg);
      font: inherit;
    }

    .empty,
    .error {
      color: var(--_muted);
    }
  `,
];
