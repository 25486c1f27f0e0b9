import { css } from 'lit';
import { avatarHues } from '../../internal/avatar.js';
import { panelFormStyles, panelStyles } from '../../internal/panel.styles.js';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingParticipantsStyles = [
  tokens,
  avatarHues,
  panelStyles,
  panelFormStyles,
  css`
    .search {
      margin: 0 12px 4px;
    }

    .no-match {
      margin: 0;
      padding: 8px 16px;
      color: var(--_muted);
      overflow-wrap: anywhere;
    }

    ul {
      margin: 0;
      padding: 4px 8px 8px;
      list-style: none;
      display: grid;
      gap: 2px;
    }

    /* One line per person whatever the actions: initials, name and role, then icons. */
    li {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 52px;
      padding: 6px 4px 6px 8px;
      border-radius: 8px;
    }

    li:hover,
    li:focus-within {
      background: var(--_surface);
    }

    .avatar {
      display: grid;
      flex: none;
      place-items: center;
      width: 32px;
      height: 32px;
      border-radius: 50%;
      color: #fff;
      font-size: 0.8125em;
      font-weight: 600;
      user-select: none;
    }

    .who {
      display: grid;
      flex: 1;
      min-width: 0;
      line-height: 1.25;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .role {
      color: var(--_muted);
      font-size: 0.8125em;
    }

    .state {
      display: grid;
      flex: none;
      place-items: center;
      width: 40px;
      height: 40px;
    }

    .state .icon {
      width: 20px;
      height: 20px;
      fill: var(--_muted);
    }

    .state.hand .icon {
      fill: #a14a00;
    }

    button {
      flex: none;
      min-height: 36px;
      padding: 6px 14px;
      border-radius: 999px;
      font-size: 0.875em;
      font-weight: 600;
    }

    button.text {
      color: var(--_accent);
      background: transparent;
    }

    .icon-button {
      display: grid;
      place-items: center;
      width: 40px;
      min-height: 40px;
      padding: 0;
      border-radius: 50%;
      color: var(--_fg);
      background: transparent;
    }

    .icon-button .icon {
      width: 20px;
      height: 20px;
    }

    .icon-button:hover,
    .icon-button[aria-expanded='true'] {
      background: color-mix(in srgb, var(--_fg) 10%, transparent);
    }

    .menu-anchor {
      position: relative;
      flex: none;
    }

    .menu {
      position: absolute;
      top: calc(100% + 4px);
      inset-inline-end: 0;
      display: grid;
      min-width: 200px;
      padding: 6px 0;
      border-radius: 8px;
      background: var(--_bg);
      box-shadow:
        0 2px 6px rgb(0 0 0 / 0.2),
        0 8px 24px rgb(0 0 0 / 0.25);
      z-index: 2;
    }

    .menu[hidden] {
      display: none;
    }

    .menu button {
      min-height: 40px;
      padding: 8px 16px;
      border-radius: 0;
      color: var(--_fg);
      background: transparent;
      font-weight: 500;
      text-align: start;
      white-space: nowrap;
    }

    .menu button:hover,
    .menu button:focus-visible {
      background: var(--_surface);
    }

    .menu button.danger {
      color: var(--_danger);
    }

    .lock,
    .lower-hands {
      display: flex;
      gap: 8px;
      align-items: center;
      justify-content: center;
      margin: 8px 16px 16px;
      min-height: 40px;
      color: var(--_accent);
      background: transparent;
      border: 1px solid var(--_line);
    }

    .lower-hands {
      margin: 8px 16px 0;
    }

    .lock .icon,
    .lower-hands .icon {
      width: 18px;
      height: 18px;
    }
  `,
];
