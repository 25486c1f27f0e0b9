import { css } from 'lit';

/** The dark theme's defaults; each stays overridable by its --meeting-* property. */
const darkPalette = css`
  --_bg: var(--meeting-color-background, #15171c);
  --_fg: var(--meeting-color-text, #eef0f4);
  --_muted: var(--meeting-color-text-muted, #b4bac6);
  --_surface: var(--meeting-color-surface, #23262e);
  --_accent: var(--meeting-color-accent, #8ab4ff);
  --_on-accent: var(--meeting-color-on-accent, #0b1a33);
  --_danger: var(--meeting-color-danger, #ffb4ab);
  --_tile: var(--meeting-tile-background, #2c3039);
`;

/**
 * The design tokens every element reads: `--meeting-*` properties from outside, with light and
 * dark defaults. An element inside `<meeting-room>` inherits the room's theme through `theme`.
 */
export const tokens = css`
  :host {
    --_bg: var(--meeting-color-background, #ffffff);
    --_fg: var(--meeting-color-text, #1b1d21);
    --_muted: var(--meeting-color-text-muted, #545a66);
    --_surface: var(--meeting-color-surface, #f2f4f7);
    --_accent: var(--meeting-color-accent, #1f5fd1);
    --_on-accent: var(--meeting-color-on-accent, #ffffff);
    --_danger: var(--meeting-color-danger, #b3261e);
    --_tile: var(--meeting-tile-background, #3a3f4b);
    --_radius: var(--meeting-radius, 12px);
    --_space: var(--meeting-spacing, 16px);
    box-sizing: border-box;
    color: var(--_fg);
    font-family: var(--meeting-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--meeting-font-size, 16px);
    line-height: 1.4;
  }

  :host([hidden]) {
    display: none;
  }

  :host([theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light']):not([theme='dark'])) {
      ${darkPalette}
    }
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

  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }

  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: filter 120ms ease-out;
    }
    button:hover:not(:disabled) {
      filter: brightness(1.08);
    }
  }
`;
