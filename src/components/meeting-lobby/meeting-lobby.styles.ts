import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingLobbyStyles = [
  tokens,
  css`
    :host {
      display: block;
      width: min(100%, 1040px);
      container-type: inline-size;
      container-name: lobby;
    }

    /* Phones: stacked, preview first. Wide boxes: preview left, form right. */
    .lobby {
      display: grid;
      gap: calc(var(--_space) * 1.5);
      align-items: center;
    }

    @container lobby (min-width: 720px) {
      .lobby {
        grid-template-columns: minmax(0, 1.5fr) minmax(300px, 1fr);
        gap: calc(var(--_space) * 2.5);
      }
      .lobby.no-preview {
        grid-template-columns: minmax(0, 420px);
        justify-content: center;
      }
    }

    .side {
      display: grid;
      gap: var(--_space);
      align-content: center;
    }

    h2 {
      margin: 0;
      font-size: 1.75em;
      font-weight: 500;
      line-height: 1.2;
    }

    .meeting-id {
      margin: -8px 0 0;
      color: var(--_muted);
      overflow-wrap: anywhere;
    }

    label {
      display: grid;
      gap: 6px;
      font-weight: 500;
      font-size: 0.9375em;
    }

    input {
      min-height: 48px;
      padding: 8px 14px;
      border: 1px solid var(--_line);
      border-radius: 8px;
      color: var(--_fg);
      background: var(--_bg);
      font: inherit;
    }

    input:focus-visible {
      outline-offset: 0;
    }

    .message {
      margin: 0;
      color: var(--_danger);
    }

    .hint {
      margin: 0;
      color: var(--_muted);
    }

    .join {
      min-height: 52px;
      border-radius: 999px;
      font-size: 1.0625em;
    }

    .preview-frame {
      position: relative;
      width: 100%;
      display: grid;
      place-items: center;
      aspect-ratio: 16 / 9;
      overflow: hidden;
      border-radius: var(--_radius);
      background: var(--_tile);
      color: #fff;
      box-shadow: 0 1px 3px rgb(0 0 0 / 0.2);
      container-type: size;
    }

    /* A short preview (a phone) keeps the picture and the buttons, not the sentence. */
    @container (max-height: 280px) {
      .off-text {
        display: none;
      }
      .preview-off {
        margin-bottom: 64px;
      }
      .avatar {
        width: 64px;
        height: 64px;
        font-size: 28px;
      }
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

    .preview-off {
      display: grid;
      gap: 12px;
      justify-items: center;
      margin-bottom: 48px;
      font-size: 1.0625em;
    }

    .avatar {
      display: grid;
      place-items: center;
      width: 88px;
      height: 88px;
      border-radius: 50%;
      background: #1a73e8;
      font-size: 40px;
      font-weight: 500;
    }

    .avatar .icon {
      width: 40px;
      height: 40px;
    }

    /* Round microphone and camera buttons over the preview, red while off. */
    .devices {
      position: absolute;
      bottom: 16px;
      left: 50%;
      translate: -50% 0;
      display: flex;
      gap: 16px;
    }

    .devices button {
      display: grid;
      place-items: center;
      width: 56px;
      height: 56px;
      padding: 0;
      border: 1px solid rgb(255 255 255 / 0.7);
      border-radius: 50%;
      color: #fff;
      background: rgb(32 33 36 / 0.35);
    }

    .devices button.off {
      border-color: transparent;
      background: #ea4335;
    }

    .devices button:focus-visible {
      outline-color: #fff;
    }

    /* The level meter: a thin bar along the preview's top edge that moves with the voice. */
    .mic-level {
      position: absolute;
      top: 12px;
      inset-inline-start: 12px;
      width: 96px;
      height: 8px;
      border-radius: 4px;
      appearance: none;
      background: rgb(32 33 36 / 0.5);
    }

    .mic-level::-webkit-meter-bar {
      border: 0;
      border-radius: 4px;
      background: rgb(32 33 36 / 0.5);
    }

    .mic-level::-webkit-meter-optimum-value {
      border-radius: 4px;
      background: #81c995;
    }

    .mic-level.silent {
      visibility: hidden;
    }
  `,
];
