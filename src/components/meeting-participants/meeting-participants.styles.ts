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
      background: var(--_surface);
      border-radius: var(--_radius);
    }

    h3 {
      margin: 0;
      padding: 12px 16px 0;
      font-size: 1em;
    }

    ul {
      margin: 0;
      padding: 8px 16px;
      list-style: none;
      display: grid;
      gap: 8px;
    }

    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
    }

    .name {
      flex: 1;
      min-width: 8em;
    }

    .role {
      color: var(--_muted);
      font-size: 0.85em;
    }

    button {
      min-height: 36px;
      padding: 4px 10px;
      color: var(--_fg);
      background: var(--_bg);
      border: 1px solid var(--_muted);
      font-weight: 500;
    }

    .lock {
      margin: 0 16px 12px;
    }
  `,
];
