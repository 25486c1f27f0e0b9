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
`;

export const meetingRoomStyles = css`
  :host {
    --_bg: var(--meeting-color-background, #ffffff);
    --_fg: var(--meeting-color-text, #1b1d21);
    --_muted: var(--meeting-color-text-muted, #545a66);
    --_surface: var(--meeting-color-surface, #f2f4f7);
    --_accent: var(--meeting-color-accent, #1f5fd1);
    --_on-accent: var(--meeting-color-on-accent, #ffffff);
    --_danger: var(--meeting-color-danger, #b3261e);
    --_radius: var(--meeting-radius, 12px);
    --_space: var(--meeting-spacing, 16px);

    display: block;
    box-sizing: border-box;
    container-type: inline-size;
    min-height: 320px;
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--meeting-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--meeting-font-size, 16px);
    line-height: 1.4;
  }

  :host([hidden]) {
    display: none;
  }

  /* Dark palette: when asked for, or when following the system and it is dark. */
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

  .base {
    display: grid;
    place-items: center;
    min-height: inherit;
    padding: var(--_space);
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

  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }

  .status {
    display: grid;
    gap: var(--_space);
    justify-items: center;
    padding: calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
    background: var(--_surface);
    text-align: center;
  }

  .status p {
    margin: 0;
  }

  .call {
    display: flex;
    flex-direction: column;
    height: var(--meeting-call-height, 560px);
    min-height: inherit;
  }

  .stage {
    flex: 1;
    display: flex;
    min-height: 0;
    gap: 8px;
    padding: 8px;
  }

  .stage participant-grid {
    flex: 1;
    min-width: 0;
  }

  .stage meeting-chat,
  .stage meeting-participants,
  .stage meeting-settings {
    flex: 0 0 min(320px, 40%);
  }

  .stage meeting-settings {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: auto;
  }

  @container (max-width: 560px) {
    .stage {
      flex-direction: column;
    }
    .stage meeting-chat,
    .stage meeting-participants,
    .stage meeting-settings {
      flex: 0 0 45%;
    }
  }

  .waiting {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 8px;
    list-style: none;
    background: var(--_surface);
  }

  .waiting li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }

  .waiting li span {
    flex: 1;
  }

  button.secondary {
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_muted);
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .banner.error {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: center;
    color: var(--_danger);
  }

  .banner {
    margin: 0;
    padding: 8px;
    text-align: center;
    background: var(--_surface);
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
