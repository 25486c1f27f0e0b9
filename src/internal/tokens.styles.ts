import { css } from 'lit';
import { paletteStyles } from './palette.styles.js';

/**
 * The call's stage (top bar, tiles, control bar) is dark whatever the page's theme, as in the
 * meeting apps people know; `--meeting-stage-*` change it. Applied by the `.on-stage` class. It
 * re-declares the public colours for the elements inside, so they need no theme of their own.
 */
export const stagePalette = css`
  .on-stage {
    --meeting-color-background: var(--meeting-stage-background, #202124);
    --meeting-color-surface: var(--meeting-stage-surface, #3c4043);
    --meeting-color-text: var(--meeting-stage-text, #e8eaed);
    --meeting-color-text-muted: var(--meeting-stage-text-muted, #bdc1c6);
    --meeting-color-border: var(--meeting-stage-border, #5f6368);
    --meeting-color-accent: var(--meeting-stage-accent, #8ab4f8);
    --meeting-color-on-accent: var(--meeting-stage-on-accent, #202124);
    --meeting-color-danger: var(--meeting-stage-danger, #ea4335);
    --_bg: var(--meeting-color-background);
    --_fg: var(--meeting-color-text);
    --_muted: var(--meeting-color-text-muted);
    --_surface: var(--meeting-color-surface);
    --_line: var(--meeting-color-border);
    --_accent: var(--meeting-color-accent);
    --_on-accent: var(--meeting-color-on-accent);
    --_danger: var(--meeting-color-danger);
    color: var(--_fg);
  }
`;

/**
 * The design tokens every element reads: `--meeting-*` properties from outside, then the palette
 * inherited from the nearest element with a `theme`, then the system's colour scheme.
 */
export const tokens = [
  paletteStyles,
  css`
    :host {
      --_radius: var(--meeting-radius, 12px);
      --_space: var(--meeting-spacing, 16px);
      box-sizing: border-box;
      color: var(--_fg);
      font-family: var(--meeting-font-family, 'Noto Sans', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      font-size: var(--meeting-font-size, 16px);
      line-height: 1.4;
    }

    :host([hidden]) {
      display: none;
    }

    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }

    button {
      min-height: 44px;
      padding: 10px 20px;
      border: 0;
      border-radius: calc(var(--_radius) / 2);
      color: var(--_on-accent);
      background: var(--_accent);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }

    .icon {
      width: 24px;
      height: 24px;
      flex: none;
      fill: currentColor;
    }

    input:focus-visible,
    textarea:focus-visible,
    select:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--_accent);
      outline-offset: 2px;
    }

    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    @media (prefers-reduced-motion: no-preference) {
      button {
        transition:
          filter 120ms ease-out,
          background-color 120ms ease-out;
      }
      button:hover:not(:disabled) {
        filter: brightness(1.1);
      }
    }
  `,
];
