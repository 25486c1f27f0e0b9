import { css } from 'lit';
import { avatarHues } from '../../internal/avatar.js';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingCardStyles = [
  tokens,
  avatarHues,
  css`
    :host {
      display: block;
      max-width: var(--meeting-card-max-width, 420px);
    }

    .base {
      display: grid;
      grid-template-columns: 1fr auto;
      grid-template-areas:
        'text join'
        'people join';
      align-items: center;
      gap: 8px 12px;
      padding: calc(var(--_space) * 0.75);
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_fg);
    }

    .base.loading,
    .base.refused {
      display: block;
    }

    .text {
      grid-area: text;
      min-width: 0;
    }

    .title {
      margin: 0;
      overflow: hidden;
      font-size: 1em;
      font-weight: 600;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .status {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      margin: 2px 0 0;
      color: var(--_muted);
      font-size: 0.875em;
      font-variant-numeric: tabular-nums;
    }

    .badge {
      padding: 1px 8px;
      border: 1px solid var(--_line);
      border-radius: 999px;
      color: var(--_fg);
      font-size: 0.8125em;
      font-weight: 600;
    }

    .badge.live {
      border-color: transparent;
      color: #fff;
      background: #b3261e;
    }

    .badge.live::before {
      content: '';
      display: inline-block;
      width: 7px;
      height: 7px;
      margin-right: 5px;
      border-radius: 50%;
      background: currentColor;
      vertical-align: 1px;
    }

    .people {
      grid-area: people;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-width: 0;
      color: var(--_muted);
      font-size: 0.875em;
    }

    .faces {
      display: flex;
    }

    .avatar {
      display: grid;
      flex: none;
      place-items: center;
      width: 28px;
      height: 28px;
      margin-inline-end: -6px;
      border: 2px solid var(--_bg);
      border-radius: 50%;
      color: #fff;
      font-size: 0.75rem;
      font-weight: 600;
      user-select: none;
    }

    .avatar.more {
      color: var(--_fg);
      background: var(--_surface);
    }

    .faces + .count {
      margin-inline-start: 6px;
    }

    button {
      grid-area: join;
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 8px 16px;
    }

    .message {
      margin: 0;
      color: var(--_muted);
      font-size: 0.875em;
    }

    .message strong {
      display: block;
      color: var(--_fg);
      font-size: 1rem;
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) .badge.live {
        background: #c5221f;
      }
    }
  `,
];
