import { css } from 'lit';
import { avatarHues } from '../../internal/avatar.js';
import { tokens } from '../../internal/tokens.styles.js';

export const participantTileStyles = [
  tokens,
  avatarHues,
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
      container-type: size;
      font-size: 14px;
    }

    .base {
      position: absolute;
      inset: 0;
      margin: 0;
      display: grid;
      place-items: center;
      border-radius: inherit;
    }

    .base.screen {
      background: #000;
    }

    /* The speaking outline sits above the video, inside the tile's rounded corners. */
    .base::after {
      content: '';
      position: absolute;
      inset: 0;
      border: 3px solid transparent;
      border-radius: inherit;
      pointer-events: none;
    }

    :host([speaking]) .base::after {
      border-color: var(--meeting-speaking-color, #8ab4f8);
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
      width: clamp(40px, 28cqh, 120px);
      aspect-ratio: 1;
      border-radius: 50%;
      color: #fff;
      font-size: clamp(16px, 11cqh, 48px);
      font-weight: 600;
      letter-spacing: 0.02em;
      user-select: none;
    }

    .label {
      position: absolute;
      inset-inline-start: 8px;
      bottom: 8px;
      max-width: calc(100% - 16px);
      display: flex;
      gap: 6px;
      align-items: center;
      padding: 3px 8px;
      border-radius: 6px;
      background: rgb(32 33 36 / 0.6);
      line-height: 1.3;
      white-space: nowrap;
    }

    .label .icon {
      width: 16px;
      height: 16px;
    }

    .muted {
      display: inline-grid;
      place-items: center;
      flex: none;
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: #ea4335;
    }

    .muted .icon {
      width: 14px;
      height: 14px;
    }

    .role,
    .quality {
      flex: none;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      font-weight: 500;
    }

    .role {
      padding: 0 6px;
      border-radius: 4px;
      background: rgb(255 255 255 / 0.18);
      font-size: 0.85em;
    }

    .quality {
      display: inline-grid;
      color: var(--meeting-quality-good-color, #81c995);
    }

    .quality.poor,
    .quality.lost {
      color: var(--meeting-quality-poor-color, #fdd663);
    }

    .hand {
      position: absolute;
      top: 8px;
      inset-inline-start: 8px;
      display: inline-flex;
      gap: 2px;
      align-items: center;
      padding: 3px 8px 3px 5px;
      border-radius: 999px;
      background: var(--meeting-hand-color, #fdd663);
      color: #202124;
      font-weight: 700;
    }

    .hand .icon {
      width: 18px;
      height: 18px;
    }

    .pin {
      position: absolute;
      top: 8px;
      inset-inline-end: 8px;
      display: grid;
      place-items: center;
      min-width: 36px;
      min-height: 36px;
      padding: 0;
      border-radius: 50%;
      background: rgb(32 33 36 / 0.6);
      color: #fff;
      opacity: 0;
    }

    .pin .icon {
      width: 20px;
      height: 20px;
    }

    /* Shown on hover and keyboard focus, and always on touch screens and when pinned. */
    :host(:hover) .pin,
    .pin:focus-visible,
    .pin[aria-pressed='true'] {
      opacity: 1;
    }

    @media (pointer: coarse) {
      .pin {
        opacity: 1;
      }
    }

    .pin:focus-visible {
      outline: 2px solid #fff;
      outline-offset: 2px;
    }

    .reaction {
      position: absolute;
      top: 12%;
      left: 50%;
      translate: -50% 0;
      display: grid;
      place-items: center;
      width: clamp(40px, 24cqh, 72px);
      aspect-ratio: 1;
      border-radius: 50%;
      background: rgb(32 33 36 / 0.55);
      font-size: clamp(24px, 14cqh, 44px);
      animation: rise 0.4s ease-out;
    }

    .reaction .icon {
      width: 70%;
      height: 70%;
    }

    .reaction-thumbs { fill: #fdd663; }
    .reaction-clap { fill: #fcad70; }
    .reaction-laugh { fill: #fdd663; }
    .reaction-heart { fill: #f28b82; }
    .reaction-party { fill: #c58af9; }
    .reaction-wow { fill: #fdd663; }

    @keyframes rise {
      from {
        transform: translateY(16px);
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
