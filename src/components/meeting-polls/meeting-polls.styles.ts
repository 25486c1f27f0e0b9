import { css } from 'lit';
import { panelFormStyles, panelStyles } from '../../internal/panel.styles.js';
import { tokens } from '../../internal/tokens.styles.js';

export const meetingPollsStyles = [
  tokens,
  panelStyles,
  panelFormStyles,
  css`
    :host {
      --_bar: var(--meeting-poll-bar-color, var(--_accent));
      --_track: var(--meeting-poll-bar-background, var(--_surface));
      --_bar-height: var(--meeting-poll-bar-height, 8px);
    }

    h4 {
      margin: 0;
      font-size: 1em;
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    button.new,
    button.text {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      align-self: flex-start;
    }

    button.new {
      margin: 4px 16px 12px;
    }

    button.text,
    button.secondary {
      color: var(--_accent);
      background: transparent;
      border: 1px solid var(--_line);
    }

    button.text {
      min-height: 40px;
      padding: 6px 14px;
      border: 0;
    }

    .icon-button {
      display: grid;
      place-items: center;
      width: 40px;
      min-height: 40px;
      padding: 0;
      color: var(--_muted);
      background: transparent;
    }

    form[part~='form'] {
      display: grid;
      gap: 10px;
      margin: 0 12px 12px;
      padding: 12px;
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
    }

    .draft-options {
      display: grid;
      gap: 6px;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .draft-options li {
      display: flex;
      gap: 4px;
    }

    .draft-options input {
      flex: 1;
      min-width: 0;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }

    ol[part~='list'] {
      display: grid;
      gap: 12px;
      margin: 0;
      padding: 0 12px 16px;
      list-style: none;
    }

    .poll article {
      display: grid;
      gap: 8px;
      padding: 12px;
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    .meta {
      margin: 0;
      color: var(--_muted);
      font-size: 0.8em;
    }

    fieldset {
      margin: 0;
      padding: 0;
      border: 0;
      min-width: 0;
    }

    .options {
      display: grid;
      gap: 10px;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .option {
      display: grid;
      grid-template-columns: 1fr auto;
      align-items: center;
      column-gap: 8px;
      row-gap: 4px;
    }

    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-height: 28px;
      min-width: 0;
    }

    label.line {
      cursor: pointer;
    }

    .option-text {
      overflow-wrap: anywhere;
    }

    .mine {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      color: var(--_accent);
      font-size: 0.8em;
      font-weight: 600;
    }

    .mine .icon {
      width: 16px;
      height: 16px;
    }

    .count {
      color: var(--_muted);
      font-size: 0.8em;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }

    .bar {
      grid-column: 1 / -1;
      display: block;
      height: var(--_bar-height);
      border-radius: 999px;
      background: var(--_track);
      box-shadow: inset 0 0 0 1px var(--_line);
      overflow: hidden;
    }

    .fill {
      display: block;
      width: var(--_share, 0%);
      height: 100%;
      border-radius: inherit;
      background: var(--_bar);
    }

    .chosen .option-text {
      font-weight: 600;
    }

    @media (prefers-reduced-motion: no-preference) {
      .fill {
        transition: width 240ms ease-out;
      }
    }

    .empty {
      margin: 8px 16px;
      color: var(--_muted);
    }

    .error {
      margin: 0;
      color: var(--_danger);
      font-size: 0.9em;
    }
  `,
];
