import { css } from 'lit';
import { stagePalette } from '../../internal/tokens.styles.js';

/** The call's layout: top bar, stage and its overlays, the side panel or sheet, the control bar. */
export const callStyles = [
  stagePalette,
  css`
    .banner .spinner {
      width: 16px;
      height: 16px;
      border-width: 2px;
    }

    .call {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      background: var(--meeting-stage-background, #202124);
    }

    .topbar {
      display: flex;
      gap: 12px;
      align-items: center;
      min-width: 0;
      height: 44px;
      padding: 0 16px;
      font-size: 0.9375em;
    }

    .title {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }

    .count {
      flex: none;
      color: var(--_muted);
      white-space: nowrap;
    }

    .elapsed {
      flex: none;
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }

    .flags {
      display: flex;
      flex: none;
      gap: 8px;
      margin-inline-start: auto;
    }

    .flag {
      display: inline-flex;
      gap: 4px;
      align-items: center;
      padding: 2px 10px 2px 6px;
      border-radius: 999px;
      background: var(--_surface);
      font-size: 0.875em;
      white-space: nowrap;
    }

    .flag .icon {
      width: 18px;
      height: 18px;
    }

    .flag.recording .icon {
      fill: #ea4335;
    }

    .middle {
      display: flex;
      min-height: 0;
      gap: 12px;
      padding: 0 12px;
    }

    .stage-area {
      position: relative;
      flex: 1;
      min-width: 0;
      min-height: 0;
    }

    participant-grid {
      position: absolute;
      inset: 0;
    }

    .overlays {
      position: absolute;
      top: 8px;
      left: 50%;
      translate: -50% 0;
      display: grid;
      gap: 8px;
      justify-items: center;
      width: min(480px, calc(100% - 16px));
      z-index: 3;
      pointer-events: none;
    }

    .overlays > * {
      pointer-events: auto;
    }

    .banner {
      display: flex;
      gap: 10px;
      align-items: center;
      margin: 0;
      padding: 8px 16px;
      border-radius: 999px;
      color: var(--_fg);
      background: var(--_surface);
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.35);
    }

    .banner.reconnecting {
      background: #5f4b00;
      color: #fff;
    }

    .banner.error {
      border-radius: 12px;
    }

    .waiting {
      display: grid;
      gap: 8px;
      width: 100%;
      margin: 0;
      padding: 12px 16px;
      list-style: none;
      border-radius: 12px;
      color: var(--_fg);
      background: var(--_surface);
      box-shadow: 0 2px 12px rgb(0 0 0 / 0.4);
    }

    .waiting li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }

    .waiting li > span:first-child {
      flex: 1;
      min-width: 10em;
      font-weight: 500;
    }

    .waiting .actions {
      display: flex;
      gap: 4px;
    }

    .waiting button {
      min-height: 36px;
      padding: 6px 16px;
      border-radius: 999px;
    }

    .toasts {
      position: absolute;
      inset-inline-start: 12px;
      bottom: 12px;
      display: grid;
      gap: 8px;
      max-width: min(360px, calc(100% - 24px));
      margin: 0;
      padding: 0;
      list-style: none;
      z-index: 3;
    }

    .toast {
      display: flex;
      gap: 10px;
      align-items: center;
      padding: 10px 14px;
      border-radius: 8px;
      color: #202124;
      background: #e8eaed;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.35);
      font-size: 0.875em;
    }

    .toast .icon {
      width: 20px;
      height: 20px;
    }

    .toast.hand .icon {
      fill: #a14a00;
    }

    .muted-hint {
      position: absolute;
      bottom: 12px;
      left: 50%;
      translate: -50% 0;
      display: flex;
      gap: 10px;
      align-items: center;
      max-width: calc(100% - 24px);
      padding: 6px 8px 6px 14px;
      border-radius: 999px;
      color: #202124;
      background: #e8eaed;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.35);
      font-size: 0.875em;
      z-index: 3;
    }

    .muted-hint .icon {
      width: 20px;
      height: 20px;
      fill: #c5221f;
    }

    .muted-hint button {
      color: #1a5fd0;
    }

    @media (prefers-reduced-motion: no-preference) {
      .toast,
      .muted-hint,
      .banner {
        animation: appear 160ms ease-out;
      }
    }

    @keyframes appear {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }

    /* The side panel keeps the page's theme, as a card beside the stage. */
    .panel {
      position: relative;
      display: flex;
      flex-direction: column;
      flex: 0 0 min(var(--meeting-panel-width, 360px), 40%);
      min-height: 0;
      margin-bottom: 0;
      overflow: hidden;
      border-radius: var(--_radius);
      color: var(--_fg);
      background: var(--_bg);
    }

    .panel > meeting-chat,
    .panel > meeting-participants {
      flex: 1;
      min-height: 0;
    }

    .panel .settings {
      padding: 0 16px 16px;
      overflow: auto;
    }

    .panel-heading {
      margin: 0;
      padding: 16px 56px 12px 16px;
      font-size: 1.125em;
      font-weight: 600;
    }

    .panel-close {
      position: absolute;
      top: 8px;
      inset-inline-end: 8px;
      display: grid;
      place-items: center;
      width: 40px;
      min-height: 40px;
      padding: 0;
      border-radius: 50%;
      color: var(--_fg);
      background: transparent;
      z-index: 1;
    }

    .panel-close:hover {
      background: var(--_surface);
    }

    .bar {
      min-width: 0;
    }

    /* Phones and narrow boxes: the panel is a sheet over the call, the bar stays one row. */
    @container room (max-width: 699px) {
      .middle {
        position: relative;
        padding: 0 4px;
      }
      .topbar {
        height: 40px;
        padding: 0 12px;
      }
      .panel {
        position: absolute;
        inset: auto 0 0 0;
        height: min(78%, 640px);
        border-radius: 16px 16px 0 0;
        box-shadow: 0 -4px 24px rgb(0 0 0 / 0.5);
        z-index: 5;
      }
      .toasts {
        inset-inline-start: 8px;
        bottom: 8px;
      }
    }

    @container room (max-height: 540px) {
      .topbar {
        height: 36px;
      }
    }
  `,
];
