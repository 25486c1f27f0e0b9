import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const participantGridStyles = [
  tokens,
  css`
    :host {
      display: block;
      position: relative;
      min-height: 200px;
      container-type: size;
    }

    .base {
      position: absolute;
      inset: 0;
      display: grid;
      place-content: center;
      gap: var(--meeting-grid-gap, 8px);
      padding: var(--meeting-grid-gap, 8px);
    }

    .pager {
      position: absolute;
      right: 8px;
      bottom: 8px;
      display: flex;
      gap: 8px;
      align-items: center;
      padding: 4px 8px;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
    }

    .pager button {
      min-height: 36px;
      padding: 4px 12px;
    }
  `,
];
