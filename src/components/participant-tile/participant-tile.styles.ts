import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const participantTileStyles = [
  tokens,
  css`
    :host {
      display: block;
      position: relative;
      min-width: 0;
      min-height: 0;
      aspect-ratio: var(--meeting-tile-aspect-ratio, 16 / 9);
      overflow: hidden;
      border-radius: var(--meeting-tile-radius, var(--_radius));
      background: var(--_tile);
      color: #fff;
    }

    .base {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      outline: 3px solid transparent;
      outline-offset: -3px;
      border-radius: inherit;
    }

    :host([speaking]) .base {
      outline-color: var(--meeting-speaking-color, #3ddc84);
    }

    video {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: var(--meeting-video-fit, cover);
    }

    video[hidden] {
      display: none;
    }

    .avatar {
      display: grid;
      place-items: center;
      width: 30%;
      max-width: 96px;
      aspect-ratio: 1;
      border-radius: 50%;
      background: var(--_accent);
      color: var(--_on-accent);
      font-size: clamp(14px, 4cqi, 32px);
      font-weight: 700;
    }

    .label {
      position: absolute;
      left: 8px;
      bottom: 8px;
      max-width: calc(100% - 16px);
      display: flex;
      gap: 6px;
      align-items: center;
      padding: 2px 8px;
      border-radius: 6px;
      background: rgb(0 0 0 / 0.55);
      font-size: 0.875em;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }

    .badge {
      flex: none;
    }
  `,
];
