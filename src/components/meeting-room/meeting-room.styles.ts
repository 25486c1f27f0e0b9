import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

/** The room's own layout; palette, type, buttons and focus rings come from the shared tokens. */
export const meetingRoomStyles = [
  tokens,
  css`
  :host {
    display: block;
    container-type: inline-size;
    min-height: 320px;
    background: var(--_bg);
  }

  .base {
    display: grid;
    place-items: center;
    min-height: inherit;
    padding: var(--_space);
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
`,
];
