import { css } from 'lit';
import { panelFormStyles, panelStyles } from '../../internal/panel.styles.js';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingBreakoutsStyles = [
  tokens,
  panelStyles,
  panelFormStyles,
  css`
    :host {
      --_room-bg: var(--meeting-breakout-room-background, var(--_surface));
      --_here: var(--meeting-breakout-here-color, var(--_accent));
      gap: 10px;
      padding-bottom: 16px;
    }

    h3 {
      padding-bottom: 0;
    }

    h4 {
      margin: 0;
      font-size: 0.95em;
      font-weight: 600;
    }

    button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
    }

    button.secondary {
      color: var(--_accent);
      background: transparent;
      border: 1px solid var(--_line);
    }

    .status {
      display: grid;
      gap: 8px;
      margin: 0 16px;
    }

    .status:empty {
      display: none;
    }

    .status p {
      margin: 0;
      font-weight: 600;
    }

    .status button {
      justify-self: start;
    }

    form[part~='form'] {
      display: grid;
      gap: 12px;
      margin: 0 12px;
      padding: 12px;
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
    }

    .field.inline {
      grid-template-columns: 1fr auto;
      align-items: center;
    }

    form.broadcast {
      display: grid;
      grid-template-columns: 1fr auto;
      align-items: end;
      gap: 8px;
      margin: 0 12px;
    }

    input[type='number'],
    input[type='text'],
    select {
      min-height: 40px;
      padding: 6px 10px;
      border: 1px solid var(--_line);
      border-radius: calc(var(--_radius) / 2);
      color: var(--_fg);
      background: var(--_bg);
      font: inherit;
      font-weight: 400;
    }

    input[type='number'] {
      width: 6em;
    }

    input:disabled {
      opacity: 0.6;
    }

    ul[part~='assignments'],
    ul[part~='rooms'] {
      display: grid;
      gap: 6px;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    ul[part~='rooms'] {
      margin: 0 12px;
    }

    li[part~='person'] label {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      align-items: center;
      gap: 8px;
      font-size: 0.9em;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    select {
      min-width: 0;
    }

    .timer {
      display: grid;
      gap: 6px;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
      margin: 0 12px;
    }

    form .actions {
      margin: 0;
    }

    .room {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      min-height: 48px;
      padding: 8px 12px;
      border-radius: var(--_radius);
      background: var(--_room-bg);
    }

    .room.here {
      box-shadow: inset 3px 0 0 var(--_here);
    }

    .room-text {
      display: grid;
      min-width: 0;
    }

    .room-name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    .room-people {
      color: var(--_muted);
      font-size: 0.8em;
      font-variant-numeric: tabular-nums;
    }

    .here-mark {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      color: var(--_here);
      font-size: 0.85em;
      font-weight: 600;
    }

    .here-mark .icon {
      width: 16px;
      height: 16px;
    }

    .hint,
    .empty {
      margin: 0 16px;
      color: var(--_muted);
      font-size: 0.9em;
    }

    form .hint {
      margin: 0;
    }

    .error {
      margin: 0 16px;
      color: var(--_danger);
      font-size: 0.9em;
    }

    form .error {
      margin: 0;
    }
  `,
];
