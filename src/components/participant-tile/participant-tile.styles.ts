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
      margin: 0;
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

    video.mirrored {
      transform: scaleX(-1);
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
      inset-inline-start: 8px;
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

    .badge,
    .role,
    .quality {
      flex: none;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
    }

    .role {
      padding: 0 6px;
      border-radius: 4px;
      background: var(--_accent);
      color: var(--_on-accent);
      font-size: 0.8em;
    }

    .quality {
      display: inline-flex;
      gap: 2px;
      align-items: flex-end;
      height: 12px;
    }

    .quality i {
      width: 3px;
      border-radius: 1px;
      background: rgb(255 255 255 / 0.35);
    }

    .quality i:nth-child(1) {
      height: 5px;
    }

    .quality i:nth-child(2) {
      height: 8px;
    }

    .quality i:nth-child(3) {
      height: 12px;
    }

    .quality i.on {
      background: var(--meeting-quality-good-color, #3ddc84);
    }

    .quality.poor i.on {
      background: var(--meeting-quality-poor-color, #ffb020);
    }

    .pin {
      position: absolute;
      top: 8px;
      inset-inline-end: 8px;
      min-width: 32px;
      min-height: 32px;
      padding: 2px;
      border: 0;
      border-radius: 6px;
      background: rgb(0 0 0 / 0.55);
      color: inherit;
      cursor: pointer;
      opacity: 0;
    }

    /* Shown on hover and keyboard focus, and always on touch screens and when pinned. */
    :host(:hover) .pin,
    .pin:focus-visible,
    .pin[aria-pressed='true'] {
      opacity: 1;
    }

    @media (hover: none) {
      .pin {
        opacity: 1;
      }
    }

    .pin:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 2px;
    }

    .reaction {
      position: absolute;
      top: 8px;
      inset-inline-start: 8px;
      font-size: 2em;
      animation: rise 0.4s ease-out;
    }

    @keyframes rise {
      from {
        transform: translateY(12px);
        opacity: 0;
      }
    }

    @media (prefers-reduced-motion: reduce) {
      .reaction {
        animation: none;
      }
    }

    ::slotted([slot='overlay']) {
      position: absolute;
      inset: 0;
    }
  `,
];
