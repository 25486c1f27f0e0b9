// What the side panels (people, polls, breakout rooms) have in common: a scrolling column on the
// panel background under a title that leaves room for the sheet's close button, and the small form
// pieces (a labelled field, a text field, a checkbox row) their forms are made of. One place, so
// the panels stay alike when one of them is restyled.
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    overflow-y: auto;
    background: var(--_bg);
  }

  h3 {
    margin: 0;
    padding: 16px 56px 8px 16px;
    font-size: 1.125em;
    font-weight: 600;
  }
`;

export const panelFormStyles = css`
  .field {
    display: grid;
    gap: 4px;
    font-size: 0.875em;
    font-weight: 500;
  }

  .check {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 32px;
    font-size: 0.9em;
  }

  input:not([type]),
  input[type='text'],
  input[type='search'] {
    min-height: 40px;
    padding: 8px 12px;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) / 2);
    color: var(--_fg);
    background: var(--_bg);
    font: inherit;
    font-weight: 400;
  }

  input[type='checkbox'],
  input[type='radio'] {
    width: 18px;
    height: 18px;
    margin: 0;
    flex: none;
    accent-color: var(--_accent);
  }
`;
