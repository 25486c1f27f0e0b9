import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingSettingsStyles = [
  tokens,
  css`
    :host {
      display: grid;
      gap: 12px;
      align-content: start;
    }

    label {
      display: grid;
      gap: 6px;
      font-weight: 500;
      font-size: 0.9375em;
    }

    label.switch {
      display: flex;
      align-items: center;
      gap: 8px;
      font-weight: 500;
    }

    label.switch input {
      width: 20px;
      height: 20px;
    }

    select {
      min-height: 44px;
      padding: 6px 10px;
      border: 1px solid var(--_line);
      border-radius: 8px;
      color: var(--_fg);
      background: var(--_bg);
      font: inherit;
    }

    .none {
      margin: 0;
      color: var(--_muted);
    }
  `,
];
