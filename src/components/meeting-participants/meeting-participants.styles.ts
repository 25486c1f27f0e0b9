import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingParticipantsStyles = [
  tokens,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      overflow-y: auto;
      background: var(--_bg);
    }

    h3 {
      margin: 0;
      padding: 16px 56px 8px 16px;
      font-size: 1.125em;
      font-weight: 600;
    }

    h3 + ul,
    ul + h3 {
      margin-top: 0;
    }

    ul {
      margin: 0;
      padding: 4px 8px 8px;
      list-style: none;
      display: grid;
      gap: 2px;
    }

    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      min-height: 48px;
      padding: 4px 8px;
      border-radius: 8px;
    }

    li:hover {
      background: var(--_surface);
    }

    .name {
      flex: 1;
      min-width: 8em;
      overflow-wrap: anywhere;
    }

    .role {
      color: var(--_muted);
      font-size: 0.85em;
    }

    .hand .icon {
      fill: #a14a00;
    }

    .mic-off .icon {
      width: 20px;
      height: 20px;
      fill: var(--_muted);
    }

    button {
      min-height: 32px;
      padding: 4px 12px;
      border-radius: 999px;
      color: var(--_accent);
      background: transparent;
      border: 1px solid var(--_line);
      font-size: 0.875em;
      font-weight: 500;
    }

    .lock {
      margin: 8px 16px 16px;
      min-height: 40px;
    }
  `,
];
