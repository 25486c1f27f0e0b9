import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingLobbyStyles = [
  tokens,
  css`
    :host {
      display: block;
      width: min(100%, 420px);
    }

    .lobby {
      display: grid;
      gap: var(--_space);
      padding: calc(var(--_space) * 1.5);
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    h2 {
      margin: 0;
      font-size: 1.375em;
    }

    .meeting-id {
      margin: 0;
      color: var(--_muted);
      overflow-wrap: anywhere;
    }

    label {
      display: grid;
      gap: 6px;
      font-weight: 600;
    }

    input {
      min-height: 44px;
      padding: 8px 12px;
      border: 1px solid var(--_muted);
      border-radius: calc(var(--_radius) / 2);
      color: var(--_fg);
      background: var(--_bg);
      font: inherit;
    }

    .message {
      margin: 0;
      color: var(--_danger);
    }

    .hint {
      margin: 0;
      color: var(--_muted);
    }

    .preview-frame {
      position: relative;
      display: grid;
      place-items: center;
      aspect-ratio: 16 / 9;
      overflow: hidden;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_tile);
      color: #fff;
    }

    video.preview {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }

    video.preview.mirrored {
      transform: scaleX(-1);
    }

    video.preview[hidden] {
      display: none;
    }

    .mic-level {
      position: absolute;
      inset-inline: 8px;
      bottom: 8px;
      width: auto;
      height: 6px;
    }

    .devices {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
    }

    label.toggle {
      display: flex;
      align-items: center;
      gap: 8px;
      font-weight: 500;
    }

    label.toggle input {
      min-height: 0;
      width: 20px;
      height: 20px;
    }
  `,
];
