import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingChatStyles = [
  tokens,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: var(--_bg);
    }

    h3 {
      margin: 0;
      padding: 16px 56px 8px 16px;
      font-size: 1.125em;
      font-weight: 600;
    }

    ol {
      flex: 1;
      margin: 0;
      padding: 8px 16px;
      overflow-y: auto;
      list-style: none;
      display: grid;
      align-content: start;
      gap: 14px;
    }

    .who {
      font-weight: 600;
      font-size: 0.875em;
      margin-inline-end: 8px;
    }

    time {
      color: var(--_muted);
      font-size: 0.75em;
    }

    li div {
      margin-top: 2px;
      overflow-wrap: anywhere;
    }

    form {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 8px 12px 12px;
      padding: 4px 4px 4px 16px;
      border-radius: 999px;
      background: var(--_surface);
    }

    input {
      flex: 1;
      min-width: 0;
      min-height: 40px;
      padding: 8px 0;
      border: 0;
      color: var(--_fg);
      background: transparent;
      font: inherit;
    }

    button[part~='send'] {
      display: grid;
      place-items: center;
      width: 40px;
      min-height: 40px;
      padding: 0;
      border-radius: 50%;
    }

    .empty,
    .error {
      color: var(--_muted);
    }
  `,
];
