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

    .stage-layout {
      position: absolute;
      inset: 0;
      display: grid;
      grid-template-rows: minmax(0, 1fr) var(--meeting-filmstrip-height, 120px);
      gap: var(--meeting-grid-gap, 8px);
      padding: var(--meeting-grid-gap, 8px);
    }

    .stage-layout.alone {
      grid-template-rows: minmax(0, 1fr);
    }

    .stage {
      display: grid;
      place-items: center;
      min-height: 0;
      container-type: size;
    }

    /* As large as the stage allows at the tile's aspect ratio. */
    .stage participant-tile {
      width: min(100cqw, 100cqh * 16 / 9);
      --meeting-video-fit: var(--meeting-stage-video-fit, contain);
    }

    .filmstrip {
      display: flex;
      gap: var(--meeting-grid-gap, 8px);
      justify-content: center;
      min-width: 0;
      overflow-x: auto;
      overscroll-behavior-x: contain;
    }

    .filmstrip participant-tile {
      flex: none;
      height: 100%;
    }

    .pager {
      position: absolute;
      inset-inline-end: 8px;
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
