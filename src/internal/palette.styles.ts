// The two palettes as inherited custom properties, computed from one table. Kept apart from the
// static tokens (tokens.styles.ts) because it builds CSS from strings, which the build's CSS
// minifier leaves alone: everything else stays minifiable.
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
 * The palette an element resolves: `--meeting-*` properties from outside, then the palette
 * inherited from the nearest element with a `theme`, then the system's colour scheme.
 */
export const paletteStyles = css`
  :host {
    ${resolve(palettes.light)}
    --_tile: var(--meeting-tile-background, ${unsafeCSS(palettes.light.tile)});
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
`;
