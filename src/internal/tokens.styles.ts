import { css, unsafeCSS } from 'lit';

/**
 * The two palettes. An element with a `theme` attribute declares one of them in inherited custom
 * properties (`--_p-*`); the elements inside it (across shadow roots) inherit it instead of being
 * handed the theme, and a page's `--meeting-*` property still wins over both.
 */
const palettes = {
  light: { bg: '#ffffff', fg: '#1b1d21', muted: '#545a66', surface: '#f1f3f4', line: '#dadce0', accent: '#1a5fd0', onAccent: '#ffffff', danger: '#c5221f', tile: '#3c4043' },
  dark: { bg: '#1f2023', fg: '#e8eaed', muted: '#b4b9c2', surface: '#2d2f33', line: '#45484d', accent: '#8ab4f8', onAccent: '#0b1a33', danger: '#f28b82', tile: '#3c4043' },
} as const;

function declare(p: (typeof palettes)[keyof typeof palettes]) {
  return unsafeCSS(
    `--_p-bg:${p.bg};--_p-fg:${p.fg};--_p-muted:${p.muted};--_p-surface:${p.surface};--_p-line:${p.line};--_p-accent:${p.accent};--_p-on-accent:${p.onAccent};--_p-danger:${p.danger};`,
  );
}

/** Private tokens from the public ones, else the inherited palette, else `fallback` (an element on its own). */
function resolve(fallback: (typeof palettes)[keyof typeof palettes]) {
  return unsafeCSS(
    [
      `--_bg:var(--meeting-color-background,var(--_p-bg,${fallback.bg}))`,
      `--_fg:var(--meeting-color-text,var(--_p-fg,${fallback.fg}))`,
      `--_muted:var(--meeting-color-text-muted,var(--_p-muted,${fallback.muted}))`,
      `--_surface:var(--meeting-color-surface,var(--_p-surface,${fallback.surface}))`,
      `--_line:var(--meeting-color-border,var(--_p-line,${fallback.line}))`,
      `--_accent:var(--meeting-color-accent,var(--_p-accent,${fallback.accent}))`,
      `--_on-accent:var(--meeting-color-on-accent,var(--_p-on-accent,${fallback.onAccent}))`,
      `--_danger:var(--meeting-color-danger,var(--_p-danger,${fallback.danger}))`,
    ].join(';') + ';',
  );
}

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
export const tokens = css`
  :host {
    ${resolve(palettes.light)}
    --_tile: var(--meeting-tile-background, ${unsafeCSS(palettes.light.tile)});
    --_radius: var(--meeting-radius, 12px);
    --_space: var(--meeting-spacing, 16px);
    box-sizing: border-box;
    color: var(--_fg);
    font-family: var(--meeting-font-family, 'Noto Sans', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--meeting-font-size, 16px);
    line-height: 1.4;
  }

  :host([theme='light']),
  :host([theme='auto']) {
    ${declare(palettes.light)}
  }

  :host([theme='dark']) {
    ${declare(palettes.dark)}
  }

  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${declare(palettes.dark)}
    }
    :host(:not([theme])) {
      ${resolve(palettes.dark)}
    }
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
`;
